"""Production settings pass Django's deployment checklist with no warning at all."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    key_file = tmp_path / "audit.key"
    key_file.write_text(secrets.token_hex(32))
    key_file.chmod(0o400)
    (tmp_path / "checkpoints").mkdir(exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AUDIT_", "TALK_SM4_KEY"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "organ.example.gov.cn",
        "AUDIT_HMAC_KEY_FILE": str(key_file),
        "AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints"),
        "TALK_SM4_KEY": secrets.token_hex(16),
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v != ""}


def check_deploy(env: dict[str, str]) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def test_check_deploy_prints_no_warning(tmp_path):
    returncode, output = check_deploy(production_env(tmp_path))
    assert returncode == 0, output
    assert "WARNING" not in output and "(security." not in output, output
    assert "System check identified no issues" in output


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_an_audit_key(tmp_path):
    env = production_env(tmp_path, AUDIT_HMAC_KEY_FILE="")
    returncode, output = check_deploy(env)
    assert returncode != 0
    assert "AUDIT_HMAC_KEY" in output


def test_production_refuses_the_development_audit_key(tmp_path):
    from config.settings.base import DEVELOPMENT_AUDIT_KEY

    env = production_env(tmp_path, AUDIT_HMAC_KEY=DEVELOPMENT_AUDIT_KEY.decode())
    returncode, output = check_deploy(env)
    assert returncode != 0
    assert "审计链密钥" in output


def test_check_deploy_errors_on_a_short_key_and_a_missing_checkpoint_directory(tmp_path):
    env = production_env(tmp_path, AUDIT_HMAC_KEY="short", AUDIT_CHECKPOINT_DIR="")
    returncode, output = check_deploy(env)
    assert returncode != 0
    assert "audit.E003" in output and "audit.E004" in output


def test_check_deploy_warns_about_a_key_file_others_can_read(tmp_path):
    env = production_env(tmp_path)
    Path(env["AUDIT_HMAC_KEY_FILE"]).chmod(0o644)
    returncode, output = check_deploy(env)
    assert returncode != 0
    assert "audit.W001" in output


def test_production_refuses_to_start_without_the_talk_key(tmp_path):
    returncode, output = check_deploy(production_env(tmp_path, TALK_SM4_KEY=""))
    assert returncode != 0
    assert "TALK_SM4_KEY" in output


def test_production_refuses_the_development_talk_key_and_a_malformed_one(tmp_path):
    from config.settings.base import DEVELOPMENT_TALK_KEY

    returncode, output = check_deploy(
        production_env(tmp_path, TALK_SM4_KEY=DEVELOPMENT_TALK_KEY.hex())
    )
    assert returncode != 0 and "开发密钥" in output
    returncode, output = check_deploy(production_env(tmp_path, TALK_SM4_KEY="not-hex"))
    assert returncode != 0 and "32 位十六进制数" in output


def test_production_reads_the_talk_key_from_a_file(tmp_path):
    key_file = tmp_path / "talk.key"
    key_file.write_text(secrets.token_hex(16) + "\n")
    returncode, output = check_deploy(
        production_env(tmp_path, TALK_SM4_KEY="", TALK_SM4_KEY_FILE=str(key_file))
    )
    assert returncode == 0, output
