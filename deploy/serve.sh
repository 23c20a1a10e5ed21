#!/usr/bin/env bash
# nginx on 127.0.0.1:$PORT in front of gunicorn on a unix socket, and one task worker
# (`manage.py db_worker`: the mail queue); Ctrl-C (or TERM) stops all three.
#
#   deploy/serve.sh            # what `make serve` runs after collectstatic and migrate
#
# PORT (8000), WEB_CONCURRENCY (cores + 1 sync workers), RUN_DIR (a new temp dir; removed on exit
# when this script made it), GUNICORN_ARGS (extra arguments), GUNICORN_ACCESS_LOG (- for stdout)
# and NGINX (the nginx binary) come from the environment. TASK_WORKER=0 starts no worker (run one
# per machine, or at least one somewhere, beside the app servers: see the README). CHECK_ONLY=1
# writes the configuration into RUN_DIR, tests it with `nginx -t` and exits.
#
# The app learns each client's address from nginx's X-Forwarded-For: this script tells it that
# one proxy (nginx) stands in front. With a load balancer in front of nginx, set
# DJANGO_PROXY_COUNT=2 (one more for each further proxy). Everything the stack writes (nginx's
# files, gunicorn's socket and control socket) stays in RUN_DIR, so two stacks never share any.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=${PORT:-8000}
workers=${WEB_CONCURRENCY:-$(($(nproc) + 1))}
gunicorn=${GUNICORN:-$root/.venv/bin/gunicorn}
# NGINX names the binary; Debian puts it in /usr/sbin, which a non-root PATH may lack.
nginx=${NGINX:-$(command -v nginx || command -v /usr/sbin/nginx || true)}
if [[ -z $nginx || ! -x $nginx ]]; then
  echo "nginx is not installed: apt-get install -y nginx (Debian/Ubuntu), then run this again." >&2
  exit 1
fi
mime_types=${NGINX_MIME_TYPES:-/etc/nginx/mime.types}
[[ -f $mime_types ]] || { echo "No $mime_types: set NGINX_MIME_TYPES to nginx's mime.types." >&2; exit 1; }

made_run_dir=""
if [[ -z ${RUN_DIR:-} ]]; then
  RUN_DIR=$(mktemp -d -t careerguide-run.XXXXXX)
  made_run_dir=1
fi
mkdir -p "$RUN_DIR"
# nginx workers run as an unprivileged user when started by root: let them reach the socket.
chmod 755 "$RUN_DIR"
socket="$RUN_DIR/gunicorn.sock"
export DJANGO_PROXY_COUNT=${DJANGO_PROXY_COUNT:-1}
cd "$root"
# The security headers nginx adds to what it serves itself, and its error pages, from the site's
# settings and templates (after collectstatic: the pages link the hashed stylesheet).
"$root/.venv/bin/python" manage.py write_server_files "$RUN_DIR" >/dev/null
sed -e "s|@LISTEN@|127.0.0.1:$port|" -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@UPSTREAM@|unix:$socket|" \
  -e "s|@STATIC_ROOT@|$root/staticfiles|" -e "s|@MIME_TYPES@|$mime_types|" \
  "$root/deploy/nginx.conf" >"$RUN_DIR/nginx.conf"
if [[ -n ${CHECK_ONLY:-} ]]; then
  exec "$nginx" -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e stderr
fi

gunicorn_pid="" nginx_pid="" worker_pid=""
stop() {
  trap - INT TERM EXIT
  [[ -n $worker_pid ]] && kill -TERM "$worker_pid" 2>/dev/null
  [[ -n $nginx_pid ]] && kill -QUIT "$nginx_pid" 2>/dev/null
  [[ -n $gunicorn_pid ]] && kill -TERM "$gunicorn_pid" 2>/dev/null
  wait 2>/dev/null || true
  [[ -n $made_run_dir ]] && rm -rf "$RUN_DIR"
  exit "${1:-0}"
}
trap 'stop 0' INT TERM
trap 'stop $?' EXIT

# shellcheck disable=SC2086  # GUNICORN_ARGS is a list of words
"$gunicorn" careerguide.wsgi --bind "unix:$socket" --workers "$workers" \
  --control-socket "$RUN_DIR/gunicorn.ctl" \
  --access-logfile "${GUNICORN_ACCESS_LOG:--}" ${GUNICORN_ARGS:-} &
gunicorn_pid=$!
for _ in $(seq 100); do [[ -S $socket ]] && break; sleep 0.1; done
[[ -S $socket ]] || { echo "gunicorn did not open $socket" >&2; stop 1; }
"$nginx" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e stderr -g "daemon off;" &
nginx_pid=$!
if [[ ${TASK_WORKER:-1} != 0 ]]; then
  # Sends the queued mail; TERM lets it finish the task in hand.
  "$root/.venv/bin/python" manage.py db_worker --no-reload --interval 1 &
  worker_pid=$!
fi
echo "careerguide on http://127.0.0.1:$port (nginx → gunicorn, $workers workers, $socket)" \
  "${worker_pid:+and a task worker}"
# Any one ending ends the others.
wait -n "$gunicorn_pid" "$nginx_pid" ${worker_pid:+"$worker_pid"} || true
stop 1
