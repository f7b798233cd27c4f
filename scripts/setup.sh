#!/usr/bin/env bash
# Everything the project needs on a fresh Debian machine, idempotent:
#   1. Debian packages listed in scripts/system-packages.txt (installed when run
#      as root; otherwise the exact apt-get line is printed and setup stops);
#   2. a Python virtual environment in .venv with requirements.txt;
#   3. npm packages from package-lock.json, when the project has one.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "setup: Python 3.11 or newer is needed ($python is $("$python" --version 2>&1))" >&2; exit 1; }

# 1. Debian packages
mapfile -t wanted < <(grep -vE '^\s*(#|$)' scripts/system-packages.txt)
missing=()
for pkg in "${wanted[@]}"; do
  case "$pkg" in
    # Only needed when the interpreter cannot make a virtual environment by itself.
    python3-venv|python3-pip) "$python" -m ensurepip --version >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "setup: these Debian packages are missing; install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# 2. Python
stamp=.venv/.requirements.sha256
want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages into .venv"
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi

# 3. npm
if [ -f package-lock.json ]; then
  command -v npm >/dev/null || {
    echo "setup: npm is missing (package-lock.json lists the Node tools): install Debian's 'npm' package" >&2; exit 1; }
  nstamp=node_modules/.lock.sha256
  nwant=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$nstamp" 2>/dev/null)" != "$nwant" ]; then
    echo "setup: installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$nwant" > "$nstamp"
  fi
fi
