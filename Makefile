# 市人大常委会机关“三服务”工作平台 —— 常用命令。`make help` 列出全部目标。
#
# DATABASE_URL and DJANGO_SETTINGS_MODULE pass through from the environment, so the same targets run
# on the embedded SQLite file (default) or on PostgreSQL, e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test make test

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PY := .venv/bin/python
# pytest-xdist: one worker per core (this machine and CI have two); PYTEST_WORKERS=0 runs in-process.
# loadgroup: tests marked xdist_group("x") share a worker (and so a class-scoped fixture such as the
# demo loaded once); the others are spread as usual.
PYTEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup
HOST ?= 127.0.0.1
PORT ?= 8000

# uv: on PATH, else a copy we know of, else installed with pip --user. The Python 3.12 of
# .python-version is pyenv's when there is one; uv never downloads an interpreter (intranets and CI
# reach PyPI only), so a machine without 3.12 gets uv's clear error instead of a hang.
define ensure_uv
UV="$$(command -v uv || ls "$$HOME/.local/bin/uv" "$$HOME"/.pyenv/versions/*/bin/uv "$$HOME/.cargo/bin/uv" 2>/dev/null | head -n 1 || true)"; \
if [ -z "$$UV" ]; then \
	echo "未找到 uv，正在通过 pip 安装……"; \
	python3 -m pip install --user --quiet uv || python3 -m pip install --user --quiet --break-system-packages uv; \
	UV="$$HOME/.local/bin/uv"; \
fi; \
PY312="$$(ls "$$HOME"/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -n 1 || true)"; \
if [ -n "$$PY312" ]; then export UV_PYTHON="$$PY312"; fi; \
export UV_PYTHON_DOWNLOADS=never
endef

.PHONY: help sync run migrate demo test lint typecheck check pytest test-fast test-dates e2e bench clean distclean

help:
	@echo "make run        一键启动本地演示：安装依赖、迁移数据库、首次加载演示数据、启动网站和后台任务"
	@echo "make test       完整测试：ruff、mypy、manage.py check、迁移检查、pytest（含浏览器端到端测试）"
	@echo "make test-fast  只运行 pytest，跳过浏览器测试"
	@echo "make test-dates 在另一天再跑一遍测试（三年后的12月28日），证明测试不依赖今天"
	@echo "make e2e        只运行真实浏览器（Chromium）端到端测试"
	@echo "make bench      性能基准测试（bench/run.py）"
	@echo "make clean      删除缓存、截图等生成文件（保留数据库和 .venv）"
	@echo "make distclean  同上，并删除 .venv 和本地 SQLite 数据库（演示数据将重新生成）"

sync:
	@$(ensure_uv); "$$UV" sync --frozen --quiet

migrate: sync
	$(PY) manage.py migrate --noinput

# Loads the demo organ on an empty database only; on later runs it just lists the demo accounts.
demo: migrate
	$(PY) manage.py seed_demo --if-empty

run: demo
	HOST=$(HOST) PORT=$(PORT) scripts/run_dev.sh

lint: sync
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: sync
	$(PY) -m mypy apps config

check: sync
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

pytest: sync
	$(PYTEST)

test: lint typecheck check pytest

test-fast: sync
	$(PYTEST) -m "not e2e"

# The suite on another day than today: 28 December three years ahead, which is at once late December
# (next year's holidays not announced yet) and past the holiday package's data (this year itself
# computed provisionally). The real date is the other day: every other step runs on it. conftest.py
# starts every test on that day, and leaves out the tests pinned to a day of their own
# (@pytest.mark.today), which would only repeat. The hostile-input walk (about parsing, not dates)
# runs in the SQLite and PostgreSQL steps only.
test-dates: sync
	ORGAN_TEST_TODAY=$$(( $$(date +%Y) + 3 ))-12-28 $(PYTEST) -m "not e2e and not walk" -q

e2e: sync
	$(PY) -m pytest -m e2e

bench: sync
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf .mypy_cache .ruff_cache .pytest_cache artifacts staticfiles
	find . -path ./.venv -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf .venv db.sqlite3 db.sqlite3-wal db.sqlite3-shm
