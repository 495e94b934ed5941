"""Runs a notebook headless with nbclient (its kernelspec picks the kernel) and prints
each cell's stream output; exits 1 when a cell fails. Used by test/spark/notebook.test.ts:

    $(examples/notebook/install-kernel.sh) examples/notebook/run-notebook.py examples/notebook/closures.ipynb
"""
import os
import sys

import nbclient
import nbformat

path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
client = nbclient.NotebookClient(nb, timeout=600, resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
try:
    client.execute()
except nbclient.exceptions.CellExecutionError as e:
    print(str(e), file=sys.stderr)
    sys.exit(1)
for cell in nb.cells:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            sys.stdout.write(output.get("text", ""))
