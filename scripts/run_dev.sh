#!/usr/bin/env bash
# Local demo: the development server, the background task worker and the scheduler of periodic
# jobs, started together and stopped together (Ctrl+C, or the server exiting, stops all three).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
children=()

stop_children() {
	# SIGTERM: db_worker finishes its current task; runserver's reloader takes its child with it.
	for pid in "${children[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${children[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	if ((${#children[@]})); then
		echo "网站和后台任务进程已停止。"
	fi
	children=()
}
trap stop_children EXIT
trap 'exit 130' INT TERM

# --no-reload: one worker process we can stop by its id (the autoreloader would fork a child).
"$PY" manage.py db_worker --no-reload --interval 2 &
children+=($!)
if [ -f apps/core/management/commands/run_scheduler.py ]; then
	"$PY" manage.py run_scheduler &
	children+=($!)
fi
echo "后台任务进程已启动（进程号 ${children[*]}）。"

# The server runs in the background too, so that this script always sees the signal and can stop
# everything; `wait` returns when the server exits (e.g. the port is taken).
"$PY" manage.py runserver "$HOST:$PORT" &
server=$!
children+=("$server")
echo "平台地址：http://$HOST:$PORT/  按 Ctrl+C 停止。"
wait "$server"
