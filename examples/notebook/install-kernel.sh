#!/usr/bin/env bash
# Installs what runs examples/notebook/*.ipynb headless, outside the project's own
# dependencies: the tslab TypeScript kernel (npm; its zeromq addon ships prebuilt
# binaries, no build step) and a Python venv with Jupyter's client side (nbclient,
# nbformat, jupyter_client, and ipython, which tslab's kernel installer imports), with
# the kernel registered inside that venv. Idempotent; prints the venv's python.
#
#   examples/notebook/install-kernel.sh        # → ~/.cache/tsapply/notebook/venv/bin/python
#   $(examples/notebook/install-kernel.sh) -m nbclient …   or   jupyter execute closures.ipynb
set -euo pipefail
TSLAB_VERSION=1.0.22
DIR="${TSAPPLY_CACHE_DIR:-$HOME/.cache/tsapply}/notebook"
mkdir -p "$DIR"
if [ ! -x "$DIR/tslab/node_modules/.bin/tslab" ]; then
  echo "installing tslab@$TSLAB_VERSION into $DIR/tslab" >&2
  npm install --prefix "$DIR/tslab" --no-audit --no-fund --loglevel=error "tslab@$TSLAB_VERSION" >&2
fi
if [ ! -x "$DIR/venv/bin/python" ]; then
  echo "creating $DIR/venv with nbclient" >&2
  python3 -m venv "$DIR/venv"
  "$DIR/venv/bin/pip" install --quiet nbclient nbformat jupyter_client ipython >&2
fi
if [ ! -f "$DIR/venv/share/jupyter/kernels/tslab/kernel.json" ]; then
  PATH="$DIR/venv/bin:$PATH" "$DIR/tslab/node_modules/.bin/tslab" install \
    --python="$DIR/venv/bin/python" --sys-prefix --binary="$DIR/tslab/node_modules/.bin/tslab" >&2
fi
echo "$DIR/venv/bin/python"
