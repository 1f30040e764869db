-- Privileges of the application's PostgreSQL role (README, 生产部署).
--
-- The tables belong to the owner role that runs `manage.py migrate`; the website, the task worker
-- and the scheduler connect as the application role :app_role, which may read and write the data
-- but is not the owner: it cannot DROP or ALTER a table, nor disable the audit trigger. On the audit
-- table it may only read, insert, and give a pending row its place in the chain (three columns);
-- it has no DELETE and no TRUNCATE there. Run as the owner after every `migrate` (idempotent):
--
--     psql "$OWNER_DATABASE_URL" -v app_role=organ_app -f apps/audit/sql/app_role_grants.sql

GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";

REVOKE ALL ON audit_auditevent FROM :"app_role";
GRANT SELECT, INSERT ON audit_auditevent TO :"app_role";
GRANT UPDATE (seq, prev_hash, entry_hash) ON audit_auditevent TO :"app_role";
