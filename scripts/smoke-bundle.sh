#!/usr/bin/env bash
# Smoke test of the desk app's bundle (./dev bundle): on a virtual screen, with a fresh
# home folder and no Python of ours on the path, it starts, shows the sign-in window in
# Chinese (the default language: its title is 登录鼓楼e家), and quits cleanly (exit 0)
# when the person closes that window with Escape. Prints the time to the window. First,
# the search index's helper process starts from the bundle and makes an entry.
#   scripts/smoke-bundle.sh [dist/gulou-desk/gulou-desk] [screenshot.png]
set -euo pipefail
cd "$(dirname "$0")/.."
app=${1:-dist/gulou-desk/gulou-desk}
shot=${2:-}
if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$app" "$shot"
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
unset QT_QPA_PLATFORM PYTHONPATH VIRTUAL_ENV
# The search index's helper process (a second process of the bundle's executable, spawned:
# it needs PyInstaller's multiprocessing support) starts and makes an entry.
if ! env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 timeout 120 "$app" --check-index-helper; then
  echo "smoke-bundle: the search index's helper process does not work in the bundle" >&2
  exit 1
fi
t0=$(date +%s%N)
env -i PATH=/usr/bin:/bin DISPLAY="$DISPLAY" XAUTHORITY="${XAUTHORITY:-}" HOME="$home" LANG=C.UTF-8 \
  XDG_RUNTIME_DIR="$home" "$app" &
pid=$!
win=
for _ in $(seq 1 600); do
  win=$(xdotool search --onlyvisible --name '登录鼓楼e家' 2>/dev/null | head -1) && [ -n "$win" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "smoke-bundle: the app exited before showing its sign-in window" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$win" ]; then
  echo "smoke-bundle: no sign-in window titled 登录鼓楼e家 within 60 s" >&2
  kill "$pid" 2>/dev/null || true
  exit 1
fi
t1=$(date +%s%N)
echo "sign-in window (登录鼓楼e家) shown $(( (t1 - t0) / 1000000 )) ms after start"
sleep 1
if [ -n "$shot" ]; then  # Pillow's X11 grab (any Python with Pillow)
  "${PYTHON:-.venv/bin/python}" -c "import sys; from PIL import ImageGrab; \
ImageGrab.grab(xdisplay='$DISPLAY').save(sys.argv[1])" "$shot" || true
fi
xdotool windowfocus --sync "$win" key --clearmodifiers Escape
for _ in $(seq 1 100); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
  echo "smoke-bundle: the app did not quit after the sign-in window was closed" >&2
  kill -9 "$pid"
  exit 1
fi
wait "$pid" && rc=0 || rc=$?
echo "quit with exit code $rc"
exit "$rc"
