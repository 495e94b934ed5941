#!/usr/bin/env bash
# Prepares the pretrained-network demo's model and photos (see prepare.py) in
# ${TSAPPLY_CACHE_DIR:-~/.cache/tsapply}/pretrained, with its own Python environment
# (onnx, numpy, Pillow from PyPI). Prints the folder. Safe to run again: it does nothing
# when everything is there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${TSAPPLY_CACHE_DIR:-$HOME/.cache/tsapply}/pretrained"
venv="$cache/venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import onnx, numpy, PIL' 2>/dev/null; then
  mkdir -p "$cache"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'onnx==1.23.2' 'numpy==2.4.6' 'pillow==13.0.0' >&2
fi
"$venv/bin/python" "$here/prepare.py" "$cache" >&2
echo "$cache"
