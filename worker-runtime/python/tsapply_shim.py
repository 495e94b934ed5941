"""tsapply's executor-side shim: forwards Spark's Arrow batches to a Node worker.

Protocol. Spark's Python worker unpickles the UDF command, a hand-built pickle
equivalent to ``make_command(spec)``, which returns the 2-tuple
``(function, return_type)`` Spark expects: for eval type 207 (mapInArrow) a
function that takes an iterator of ``pyarrow.RecordBatch`` and yields RecordBatches.
Grouped jobs use it too, over a partition sorted by the group columns; the Node
worker cuts that stream into groups. The batches go to ONE long-lived Node
process per Python worker (kept in a module global, started on first use,
restarted if it died) over its stdin/stdout, as frames ``u8 type | u32 little-endian body length | body``.
Shim -> worker: START (JSON: task, partitionIndex, payload, schema, groupColumns),
BATCH (a complete Arrow IPC stream holding one record batch), END (no more
input), CANCEL (stop early; results are discarded). Worker -> shim: BATCH (Arrow
IPC stream), DONE (JSON: rowsIn, rowsOut) or ERROR (JSON: a serialized tsapply
error). Every task ends with exactly one DONE or ERROR and the worker reads the
task's input up to END/CANCEL even after an ERROR, so the stream stays in step
for the next task. A writer thread feeds input while the generator reads
output, so neither side can block the other on a large partition; the OS pipe
buffers plus one batch on each side bound the memory. The worker's stderr is
copied to this process's stderr (the executor log) and the last lines kept for
error messages. Errors raised here carry a ``tsapply-error: {json}`` marker line
so the driver can find them inside Spark's traceback text.

Pure Python: stdlib plus pyarrow (imported lazily); pyspark only for the
``StructType`` return type and ``SparkFiles`` / ``TaskContext`` when present.
This file is shipped to executors as a ``pyfiles/`` artifact under a content-
hashed module name (``tsapply_shim_<hash>``), so it must not import itself by name.
"""

import collections
import hashlib
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time

try:
    import fcntl  # not on Windows, where pipes keep their size
except ImportError:
    fcntl = None

SHIM_PROTOCOL_VERSION = 2
MIN_NODE_MAJOR = 20

# Frame types. Shim -> worker are 1..15, worker -> shim 16..31, so a stream read
# in the wrong direction fails loudly instead of being misread.
# Each direction of a task is one Arrow IPC stream cut at its messages: a schema frame
# (the schema message) once, then one frame per record batch message.
FRAME_START = 1
FRAME_INPUT_BATCH = 2
FRAME_END = 3
FRAME_CANCEL = 4
FRAME_INPUT_SCHEMA = 5
FRAME_OUTPUT_BATCH = 17
FRAME_DONE = 18
FRAME_ERROR = 19
FRAME_OUTPUT_SCHEMA = 20
_WORKER_FRAME_TYPES = (FRAME_OUTPUT_BATCH, FRAME_DONE, FRAME_ERROR, FRAME_OUTPUT_SCHEMA)

_HEADER = struct.Struct("<BI")
_STDERR_LINES_KEPT = 200
_STDERR_LINES_REPORTED = 40
_MARKER = "tsapply-error: "

# The tsapply error classes this shim raises (or relays from the worker) by name, with
# their `code`: the names and codes of TypeScript classes the driver rebuilds
# (`registerErrorClass`). test/worker-runtime/process/shim-error-names.test.ts checks
# this table against the TypeScript registry and that no other name is used here.
ERROR_CODES = {
    "ExecutorSetupError": "EXECUTOR_SETUP",
    "WorkerCrashError": "WORKER_CRASHED",
    "ProtocolError": "PROTOCOL",
    "UserCodeError": "USER_CODE",
    "SchemaMismatchError": "SCHEMA_MISMATCH",
    "ResultShapeError": "RESULT_SHAPE",
    "TaskTimeoutError": "TASK_TIMEOUT",
    "WorkerOutOfMemoryError": "WORKER_OUT_OF_MEMORY",
}

# Errors of the user's code or of the value it returned: raised as TsapplyUserError.
_USER_ERROR_CODES = (
    ERROR_CODES["UserCodeError"],
    ERROR_CODES["SchemaMismatchError"],
    ERROR_CODES["ResultShapeError"],
    ERROR_CODES["TaskTimeoutError"],
)
# What a Node worker prints when V8 reaches its heap limit, and the line it prints at start.
_OOM_MARKERS = ("JavaScript heap out of memory", "Reached heap limit")
_HEAP_LIMIT_LINE = "[tsapply worker] heap limit "


def _details(name, message, **fields):
    """The marker's JSON object for an error of class ``name`` (a key of ERROR_CODES)."""
    details = {"name": name, "code": ERROR_CODES[name], "message": message}
    details.update(fields)
    return details


class TsapplyError(Exception):
    """Base of the shim's errors. ``str(e)`` is the user-facing message plus a marker line."""

    def __init__(self, message, details):
        self.user_message = message
        self.details = details
        super().__init__(message + "\n" + _MARKER + json.dumps(details, sort_keys=True))


class TsapplyUserError(TsapplyError):
    """The user's TypeScript code (or its result) failed; the message names the original .ts line."""


class TsapplyWorkerError(TsapplyError):
    """The Node worker process died or misbehaved."""


class TsapplySetupError(TsapplyError):
    """The executor lacks something tsapply needs (node, pyarrow, an artifact)."""


def _setup_error(message, reason):
    return TsapplySetupError(message, _details("ExecutorSetupError", message, reason=reason))


def _import_pyarrow():
    try:
        import pyarrow
        import pyarrow.ipc  # noqa: F401  (ensures the IPC module is loaded)
    except ImportError as e:
        raise _setup_error(
            "tsapply needs pyarrow in the Python of every Spark executor (%s); importing it failed: %s. "
            "Install it there with `pip install pyarrow`." % (sys.executable, e),
            "PYARROW_MISSING",
        ) from None
    return pyarrow


# ---------------------------------------------------------------------------
# Locating files and node


def _resolve_file(name, what):
    """An absolute path as is; otherwise a Spark ``files/`` artifact in the SparkFiles dir."""
    if os.path.isabs(name):
        candidates = [name]
    else:
        candidates = []
        try:
            from pyspark import SparkFiles

            candidates.append(SparkFiles.get(name))
        except Exception:  # no pyspark, or no SparkFiles root outside a Spark worker
            pass
        candidates.append(os.path.join(os.getcwd(), name))
    for path in candidates:
        if os.path.isfile(path):
            return path
    raise _setup_error(
        "tsapply could not find the %s %r on this executor (looked at: %s). "
        "It is uploaded as a Spark files/ artifact when the job starts; re-run the job, and check "
        "that the executors can fetch session artifacts." % (what, name, ", ".join(candidates)),
        "ARTIFACT_MISSING",
    )


def _sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_node_checked = {}


def _node_version(path):
    """``(major, version text)`` of a node binary, cached per path; major -1 when it does not run."""
    if path not in _node_checked:
        try:
            out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError) as e:
            out = "(failed to run: %s)" % e
        try:
            major = int(out.lstrip("v").split(".")[0])
        except ValueError:
            major = -1
        _node_checked[path] = (major, out)
    return _node_checked[path]


def _local_node():
    """``(path, version, problem)`` of a suitable `node` on PATH (or $TSAPPLY_NODE): path None when there is none."""
    explicit = os.environ.get("TSAPPLY_NODE")
    path = shutil.which(explicit) if explicit else shutil.which("node")
    if path is None:
        if explicit:
            return None, None, "TSAPPLY_NODE=%r is not an executable file" % explicit
        return None, None, "'node' was not found on PATH (PATH=%s)" % os.environ.get("PATH", "")
    major, out = _node_version(path)
    if major < MIN_NODE_MAJOR:
        return None, out, "%s reports version %r" % (path, out)
    return path, out, None


def _shipped_node(shipped):
    """The node binary of the runtime archive tsapply uploaded (Spark unpacks archives into
    a folder named after the archive, in the session's SparkFiles root). Verified by hash once
    per process, and made executable if the unpacking lost the bit."""
    name = shipped["archive"]
    roots = []
    try:
        from pyspark import SparkFiles

        roots.append(SparkFiles.getRootDirectory())
    except Exception:  # no pyspark, or no SparkFiles root outside a Spark worker
        pass
    roots.append(os.getcwd())
    candidates = [os.path.join(root, name, *shipped["path"].split("/")) for root in roots]
    path = next((c for c in candidates if os.path.isfile(c)), None)
    if path is None:
        raise _setup_error(
            "tsapply shipped a Node.js runtime as the archive %r, but it is not unpacked on this executor "
            "(looked at: %s). Re-run the job; if it persists, check that the executors can fetch session "
            "archives, or install Node.js %d+ there and pass --executor-node /path/to/node."
            % (name, ", ".join(candidates), MIN_NODE_MAJOR),
            "ARTIFACT_MISSING",
        )
    if ("sha", path) not in _node_checked:
        actual = _sha256_file(path)
        if actual != shipped["sha256"]:
            raise _setup_error(
                "tsapply's shipped Node.js runtime %s is corrupted: sha256 %s, expected %s. "
                "Re-run the job in a new session so it is uploaded again." % (path, actual, shipped["sha256"]),
                "NODE_RUNTIME_CORRUPT",
            )
        if not os.access(path, os.X_OK):
            os.chmod(path, os.stat(path).st_mode | 0o755)
        _node_checked[("sha", path)] = True
    major, out = _node_version(path)
    if major < MIN_NODE_MAJOR:
        raise _setup_error(
            "tsapply's shipped Node.js runtime %s does not run on this executor: %s. The executor's "
            "platform differs from the one tsapply probed; install Node.js %d+ on the executors and pass "
            "--executor-node /path/to/node." % (path, out, MIN_NODE_MAJOR),
            "NODE_RUNTIME_UNUSABLE",
        )
    return path


def _find_node(node_options):
    """The node binary, by the driver's ``policy``:
    a path given on the driver (``node``) wins; ``'ship'`` takes the shipped runtime;
    otherwise $TSAPPLY_NODE or `node` on PATH when it is >= 20, else the shipped runtime
    (``'auto'``, when the driver shipped one), else a setup error."""
    options = node_options or {}
    policy = options.get("policy") or "auto"
    shipped = options.get("shipped")
    explicit = options.get("node")
    if explicit:
        path = shutil.which(explicit)
        if path is None:
            raise _setup_error(
                "tsapply needs Node.js >= %d on every Spark executor; the configured node %r "
                "(--executor-node / executorNode) was not found or is not executable on this executor. "
                "Point it at a Node.js %d+ binary that exists on every executor, or leave the option out "
                "so tsapply ships one." % (MIN_NODE_MAJOR, explicit, MIN_NODE_MAJOR),
                "NODE_MISSING",
            )
        major, out = _node_version(path)
        if major < MIN_NODE_MAJOR:
            raise _setup_error(
                "tsapply needs Node.js >= %d on every Spark executor; %s reports version %r. "
                "Point --executor-node at a Node.js %d+ binary, or leave the option out so tsapply ships one."
                % (MIN_NODE_MAJOR, path, out, MIN_NODE_MAJOR),
                "NODE_TOO_OLD",
            )
        return path
    if shipped and policy == "ship":
        return _shipped_node(shipped)
    path, version, problem = _local_node()
    if path is not None:
        return path
    if shipped:
        return _shipped_node(shipped)
    if policy == "local":
        fix = (
            "Shipping Node is turned off (--executor-node local): remove that option so tsapply ships a "
            "Node.js runtime, or install Node.js %d+ on the executors or set TSAPPLY_NODE=/path/to/node there."
            % MIN_NODE_MAJOR
        )
    else:
        fix = (
            "tsapply ships a Node.js runtime when its probe finds none on the executors, but this executor "
            "differs from the probed one: run with --executor-node ship, or install Node.js %d+ on the "
            "executors or set TSAPPLY_NODE=/path/to/node." % MIN_NODE_MAJOR
        )
    raise _setup_error(
        "tsapply needs Node.js >= %d on every Spark executor; %s. %s" % (MIN_NODE_MAJOR, problem, fix),
        "NODE_TOO_OLD" if version else "NODE_MISSING",
    )


def describe_executor():
    """What the driver's probe learns about this executor: OS, architecture, libc, Python and
    a local node. Plain data (JSON-able); the driver picks a Node runtime from it."""
    import platform

    libc, libc_version = platform.libc_ver()
    if not libc:
        # musl has no version symbol platform.libc_ver() can read; its loader is named for it.
        import glob

        if glob.glob("/lib/ld-musl-*.so.1"):
            libc, libc_version = "musl", None
    path, version, problem = _local_node()
    return {
        "system": platform.system().lower(),
        "machine": platform.machine().lower(),
        "libc": libc or None,
        "libcVersion": libc_version or None,
        "python": "%d.%d" % sys.version_info[:2],
        "node": path,
        "nodeVersion": version,
        "nodeProblem": problem,
    }


# ---------------------------------------------------------------------------
# The Node worker process


# A batch frame (Spark's 10,000 rows, a few hundred KB) is several times a pipe's default
# 64 KB, so each one took several wake-ups of both processes. With pipes that hold a whole
# frame, identity over 5M rows on Spark took ~15% less CPU in the Node worker and the shim.
_PIPE_BYTES = 1 << 20


def _widen_pipes(*pipes):
    """Grows each pipe to _PIPE_BYTES where the OS allows it (Linux); elsewhere keeps its size."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)  # None too when fcntl is
    if set_size is None:
        return
    for pipe in pipes:
        try:
            fcntl.fcntl(pipe.fileno(), set_size, _PIPE_BYTES)
        except OSError:
            pass  # above /proc/sys/fs/pipe-max-size for this user: the default still works


class _NodeWorker:
    """One Node child speaking the frame protocol on its stdin/stdout."""

    def __init__(self, node, bundle_path, node_options):
        self.args = list(node_options.get("args") or [])
        args = [node] + self.args + [bundle_path]
        env = dict(os.environ)
        # The server's own token reaches the Python worker through the JVM's environment;
        # the job's code never needs it, and must not be able to print it.
        env.pop("SPARK_CONNECT_AUTHENTICATE_TOKEN", None)
        env.update({str(k): str(v) for k, v in (node_options.get("env") or {}).items()})
        env["TSAPPLY_WORKER_PROTOCOL"] = str(SHIM_PROTOCOL_VERSION)
        # The worker ends itself when this process is gone (worker-runtime's parent-watch.ts).
        env["TSAPPLY_PARENT_PID"] = str(os.getpid())
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            bufsize=1 << 16,
        )
        self.pid = self.proc.pid
        _widen_pipes(self.proc.stdin, self.proc.stdout)
        self.bundle_path = bundle_path
        self.tasks_run = 0
        # Tasks using this worker now (0 or 1: a Python worker runs one task at a time), when
        # it last finished one, and how long it may then sit idle before it is closed.
        self.busy = 0
        self.last_used = time.monotonic()
        self.idle_timeout_s = _DEFAULT_IDLE_TIMEOUT_S
        # The limit the user set (--max-old-space-size, from workerMemory) is the one to name;
        # otherwise the worker's own report of V8's limit.
        self.heap_limit_mb = None
        for arg in self.args:
            if arg.startswith("--max-old-space-size="):
                self.configured_heap_mb = int(arg.split("=", 1)[1])
                break
        else:
            self.configured_heap_mb = None
        self.stderr_tail = collections.deque(maxlen=_STDERR_LINES_KEPT)
        self._stderr_thread = threading.Thread(
            target=self._pump_stderr, name="tsapply-node-stderr-%d" % self.pid, daemon=True
        )
        self._stderr_thread.start()

    def _pump_stderr(self):
        prefix = "[tsapply node %d] " % self.pid
        for raw in iter(self.proc.stderr.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if line.startswith(_HEAP_LIMIT_LINE):
                try:
                    self.heap_limit_mb = int(line[len(_HEAP_LIMIT_LINE):].split()[0])
                except (ValueError, IndexError):
                    pass
                continue
            self.stderr_tail.append(line)
            try:
                sys.stderr.write(prefix + line + "\n")
                sys.stderr.flush()
            except Exception:
                pass

    def alive(self):
        return self.proc.poll() is None

    def write_frame(self, ftype, *parts):
        """Write one frame from body parts (bytes-like); blocks while the pipe is full."""
        length = sum(memoryview(p).nbytes for p in parts)
        w = self.proc.stdin
        w.write(_HEADER.pack(ftype, length))
        for p in parts:
            w.write(p)
        w.flush()

    def read_frame(self):
        """The next (type, body) from the worker; None at end of stream (the worker exited)."""
        r = self.proc.stdout
        header = r.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return None
        ftype, length = _HEADER.unpack(header)
        if ftype not in _WORKER_FRAME_TYPES:
            # Not a frame: something else wrote to the worker's stdout. Its "length" is
            # text, often gigabytes: reading that many bytes would wait for ever.
            return ftype, b""
        body = r.read(length) if length else b""
        if len(body) < length:
            return None
        return ftype, body

    def death_error(self, partition_index, while_doing):
        """A TsapplyWorkerError describing how the process ended, with its stderr tail."""
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.wait()
        self._stderr_thread.join(timeout=5)
        if code < 0:
            try:
                signame = signal.Signals(-code).name
            except ValueError:
                signame = "signal %d" % -code
            how = "was killed by %s" % signame
            exit_code, sig = None, signame
        else:
            how = "exited with code %d" % code
            exit_code, sig = code, None
        tail = list(self.stderr_tail)[-_STDERR_LINES_REPORTED:]
        if any(marker in line for line in tail for marker in _OOM_MARKERS):
            part = " in partition %d" % partition_index if partition_index is not None else ""
            limit_mb = self.configured_heap_mb or self.heap_limit_mb
            limit = "heap limit %d MB" % limit_mb if limit_mb else "Node's default heap limit"
            message = (
                "Out of memory%s (%s): the function's worker ran out of JavaScript heap and was ended. "
                "Raise the limit with workerMemory (--worker-memory, e.g. 4g), or make one call hold less "
                "(a smaller batchSize, streaming the rows)." % (part, limit)
            )
            return TsapplyUserError(
                message,
                _details("WorkerOutOfMemoryError", message, fields={"partition": partition_index, "heapLimitMb": limit_mb}),
            )
        where = " (partition %d)" % partition_index if partition_index is not None else ""
        message = "tsapply's Node worker (pid %d) %s while %s%s. " % (self.pid, how, while_doing, where)
        if tail:
            message += "Last %d lines of its stderr:\n%s" % (len(tail), "\n".join(tail))
        else:
            message += "It wrote nothing to stderr."
        details = _details(
            "WorkerCrashError",
            message,
            pid=self.pid,
            exitCode=exit_code,
            signal=sig,
            partition=partition_index,
            stderrTail=tail,
        )
        return TsapplyWorkerError(message, details)

    def kill(self):
        try:
            self.proc.kill()
        except OSError:
            pass

    def close(self):
        """Close stdin (the worker exits on EOF) and reap it; kill if it lingers."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            self.proc.wait()


_worker = None
_worker_lock = threading.Lock()
_task_counter = 0
# A Node worker nobody used for this long is closed (Spark keeps Python workers, one set per
# Spark Connect session, for long; their Node workers must not pile up with them).
_DEFAULT_IDLE_TIMEOUT_S = 300.0
_reaper = None


def _ensure_reaper():
    """Starts the thread that closes the Node worker once it has been idle too long (once per process)."""
    global _reaper
    if _reaper is None:
        _reaper = threading.Thread(target=_reap_idle_worker, name="tsapply-idle-reaper", daemon=True)
        _reaper.start()


def _reap_idle_worker():
    global _worker
    while True:
        with _worker_lock:
            w = _worker
            # Look again after one idle period at most (a busy worker may be idle by then).
            wait = w.idle_timeout_s if w is not None else 30.0
            if w is not None and w.busy == 0:
                idle_for = time.monotonic() - w.last_used
                if idle_for >= w.idle_timeout_s:
                    _worker = None
                    w.close()
                else:
                    wait = w.idle_timeout_s - idle_for
        time.sleep(min(max(wait, 0.05), 30.0))


def _release_worker(worker):
    with _worker_lock:
        worker.busy = max(0, worker.busy - 1)
        worker.last_used = time.monotonic()


def _get_worker(spec):
    """The process-wide worker for this bundle: reused while alive, restarted when it died."""
    global _worker
    with _worker_lock:
        bundle_path = _resolve_file(spec["worker"]["file"], "worker bundle")
        args = list((spec.get("node_options") or {}).get("args") or [])
        if _worker is not None and (not _worker.alive() or _worker.bundle_path != bundle_path or _worker.args != args):
            _worker.close()
            _worker = None
        if _worker is None:
            expected = spec["worker"].get("sha256")
            if expected:
                actual = _sha256_file(bundle_path)
                if actual != expected:
                    raise _setup_error(
                        "tsapply's worker bundle %s is corrupted: sha256 %s, expected %s. "
                        "Re-run the job so it is uploaded again." % (bundle_path, actual, expected),
                        "WORKER_BUNDLE_CORRUPT",
                    )
            node = _find_node(spec.get("node_options"))
            _worker = _NodeWorker(node, bundle_path, spec.get("node_options") or {})
            _ensure_reaper()
        idle_ms = spec.get("worker_idle_timeout_ms")
        _worker.idle_timeout_s = idle_ms / 1000.0 if isinstance(idle_ms, (int, float)) and idle_ms > 0 else _DEFAULT_IDLE_TIMEOUT_S
        _worker.busy += 1
        return _worker


def _drop_worker(worker):
    global _worker
    with _worker_lock:
        if _worker is worker:
            _worker = None
    worker.kill()


def worker_pid():
    """PID of the live Node worker, or None (for tests and diagnostics)."""
    w = _worker
    return w.pid if w is not None and w.alive() else None


def shutdown():
    """Stop the Node worker, if any (tests; Spark simply lets the process exit)."""
    global _worker
    with _worker_lock:
        if _worker is not None:
            _worker.close()
            _worker = None


# ---------------------------------------------------------------------------
# Running one task


_partition_override = None


def _set_partition_for_tests(index):
    """Outside Spark there is no TaskContext; tests pick the partition index here."""
    global _partition_override
    _partition_override = index


def _partition_index():
    if _partition_override is not None:
        return _partition_override
    try:
        from pyspark import TaskContext

        ctx = TaskContext.get()
        if ctx is not None:
            return ctx.partitionId()
    except Exception:
        pass
    return 0


def _send_batch(worker, batch, sent_schema):
    """Writes an input batch's frame, after a schema frame when the task has sent no schema
    yet (``sent_schema`` None) or another one; returns the schema the task's stream is in."""
    schema = batch.schema
    if sent_schema is None or not sent_schema.equals(schema):
        worker.write_frame(FRAME_INPUT_SCHEMA, schema.serialize())
    worker.write_frame(FRAME_INPUT_BATCH, batch.serialize())
    return schema


def _run_task(spec, batches, partition_index):
    """Generator: send ``batches`` through the worker, yield its result batches."""
    global _task_counter
    pa = _import_pyarrow()
    worker = _get_worker(spec)
    _task_counter += 1
    start = {
        "type": "start",
        "protocol": SHIM_PROTOCOL_VERSION,
        "task": _task_counter,
        "partitionIndex": partition_index,
        "mode": spec["mode"],
        "payload": {
            "path": _resolve_file(spec["payload"]["file"], "job payload"),
            "sha256": spec["payload"]["sha256"],
        },
        "schema": spec.get("schema_ddl"),
        "groupColumns": list(spec.get("group_columns") or []),
        "taskTimeoutMs": spec.get("task_timeout_ms"),
    }
    stop = threading.Event()
    feed_error = []

    def feed():
        sent_schema = None
        try:
            for batch in batches:
                if stop.is_set():
                    break
                sent_schema = _send_batch(worker, batch, sent_schema)
            worker.write_frame(FRAME_CANCEL if stop.is_set() else FRAME_END)
        except (BrokenPipeError, ValueError, OSError):
            pass  # the worker died (or its pipe was closed); the reader reports how
        except BaseException as e:  # the input iterator itself failed
            feed_error.append(e)
            try:
                worker.write_frame(FRAME_CANCEL)
            except (BrokenPipeError, ValueError, OSError):
                pass

    try:
        worker.write_frame(FRAME_START, json.dumps(start).encode("utf-8"))
    except (BrokenPipeError, ValueError, OSError):
        _drop_worker(worker)
        raise worker.death_error(partition_index, "starting a task") from None

    writer = threading.Thread(target=feed, name="tsapply-feed-%d" % worker.pid, daemon=True)
    writer.start()
    finished = False
    out_schema = None
    try:
        while True:
            frame = worker.read_frame()
            if frame is None:
                stop.set()
                _drop_worker(worker)
                raise worker.death_error(partition_index, "running a task") from None
            ftype, body = frame
            if ftype == FRAME_OUTPUT_BATCH:
                if out_schema is None:
                    stop.set()
                    _drop_worker(worker)
                    raise _protocol_error(
                        worker,
                        "sent a result batch before its schema: the worker bundle and the shim do "
                        "not match (re-run the job).",
                    )
                yield pa.ipc.read_record_batch(pa.py_buffer(body), out_schema)
            elif ftype == FRAME_OUTPUT_SCHEMA:
                out_schema = pa.ipc.read_schema(pa.py_buffer(body))
            elif ftype == FRAME_DONE:
                finished = True
                writer.join()
                if feed_error:
                    raise feed_error[0]
                worker.tasks_run += 1
                return
            elif ftype == FRAME_ERROR:
                finished = True
                stop.set()
                info = json.loads(body.decode("utf-8"))
                if info.get("workerExiting"):
                    # The worker ends after this error (a timeout, an error that escaped the
                    # job's code): the next task must start a new one, not write to this one.
                    _drop_worker(worker)
                writer.join()
                raise _error_from_worker(info, partition_index)
            else:
                stop.set()
                _drop_worker(worker)
                raise _protocol_error(
                    worker,
                    "sent an unknown frame type %d on its stdout, which carries only frames. Either "
                    "something in the worker process printed to stdout (a module loaded with --require "
                    "or a flag in NODE_OPTIONS on the executors: remove it or make it print to stderr), "
                    "or the worker bundle and the shim do not match (re-run the job)." % ftype,
                    frameType=ftype,
                )
    finally:
        _release_worker(worker)
        if not finished and worker.alive():
            # The consumer stopped early (e.g. a limit) or we raised: cancel the task and
            # drain its results so the worker is in step for the next one.
            stop.set()
            try:
                while True:
                    frame = worker.read_frame()
                    if frame is not None and frame[0] not in _WORKER_FRAME_TYPES:
                        _drop_worker(worker)
                        break
                    if frame is None or frame[0] in (FRAME_DONE, FRAME_ERROR):
                        break
            except Exception:
                _drop_worker(worker)
            writer.join(timeout=30)
            if writer.is_alive():
                _drop_worker(worker)


def _protocol_error(worker, what, **fields):
    """A TsapplyWorkerError for a worker that broke the frame protocol: ``what`` it did and why that may be."""
    message = "tsapply's Node worker (pid %d) %s" % (worker.pid, what)
    return TsapplyWorkerError(message, _details("ProtocolError", message, **fields))


def _error_from_worker(info, partition_index):
    err = info.get("error") or {}
    message = err.get("message") or "tsapply's Node worker reported an error without a message"
    details = {
        "name": err.get("name", "Error"),
        "code": err.get("code"),
        "message": message,
        "partition": partition_index,
        "fields": err.get("fields") or {},
    }
    if err.get("stack"):
        details["stack"] = err["stack"]
    if err.get("tsapply") and err.get("code") not in (None,) + _USER_ERROR_CODES:
        return TsapplyWorkerError(message, details)
    return TsapplyUserError(message, details)


# ---------------------------------------------------------------------------
# The command Spark unpickles


def _return_type(spec):
    """A pyspark StructType from the Spark JSON schema, or None where pyspark is absent (tests)."""
    schema_json = spec.get("schema_json")
    if schema_json is None:
        return None
    try:
        from pyspark.sql.types import StructType, _parse_datatype_json_string
    except ImportError:
        return None
    dt = _parse_datatype_json_string(schema_json)
    if not isinstance(dt, StructType):
        raise _setup_error(
            "tsapply's output schema must be a struct, got %r" % (schema_json,), "BAD_SCHEMA"
        )
    return dt


def _check_spec(spec):
    if not isinstance(spec, dict):
        raise TypeError("make_command(spec) expects a dict, got %s" % type(spec).__name__)
    version = spec.get("version")
    if version != SHIM_PROTOCOL_VERSION:
        raise _setup_error(
            "tsapply's driver and shim disagree on the command format: got version %r, this shim "
            "speaks %d. Use the same tsapply version on the driver." % (version, SHIM_PROTOCOL_VERSION),
            "SHIM_VERSION",
        )
    if spec.get("mode") not in ("map", "grouped"):
        raise ValueError("spec['mode'] must be 'map' or 'grouped', got %r" % (spec.get("mode"),))
    for key in ("payload", "worker"):
        ref = spec.get(key)
        if not isinstance(ref, dict) or not isinstance(ref.get("file"), str):
            raise ValueError("spec[%r] must be a dict with 'file' and 'sha256'" % key)


PROBE_SCHEMA_JSON = json.dumps(
    {"type": "struct", "fields": [dict(name="info", type="string", nullable=True, metadata={})]}
)


def make_probe_command():
    """Spark's ``(function, return_type)`` for the driver's executor probe: one row, one
    JSON string column ``info`` holding ``describe_executor()``."""
    return_type = _return_type({"schema_json": PROBE_SCHEMA_JSON})

    def tsapply_probe_executor(batches):
        pa = _import_pyarrow()
        for _ in batches:
            pass
        yield pa.RecordBatch.from_pydict({"info": [json.dumps(describe_executor())]})

    return tsapply_probe_executor, return_type


def make_command(spec):
    """Build Spark's ``(function, return_type)`` for a tsapply job.

    ``spec`` keys: ``version`` (1), ``mode`` ('map', or 'grouped' over a partition sorted by
    the group columns; both eval type 207),
    ``payload`` and ``worker`` ({'file': SparkFiles name or absolute path, 'sha256': hex}),
    ``schema_ddl`` (output schema as Spark DDL, for the worker), ``schema_json`` (the same
    as Spark JSON, for the StructType), ``group_columns`` (list of names, grouped mode),
    ``node_options`` ({'node': path or None, 'args': [...], 'env': {...}, 'policy': 'auto' | 'ship' |
    'local', 'shipped': {'archive': SparkFiles archive name, 'path': 'node/bin/node', 'sha256': hex} or None}).
    """
    _check_spec(spec)
    return_type = _return_type(spec)

    # Grouped mode is mapInArrow too: the driver shuffled the input by the group columns
    # and sorted each partition by them, and the worker cuts the stream into groups and
    # calls the function once per group (no round trip through this process per group).
    def tsapply_map_in_arrow(batches):
        return _run_task(spec, batches, _partition_index())

    return tsapply_map_in_arrow, return_type


def _check_own_content():
    """The driver names this module after its content (``tsapply_shim_<sha256 in hex>``):
    a file whose bytes do not match its name was changed after upload and is refused."""
    name = __name__.rsplit(".", 1)[-1]
    expected = name[len("tsapply_shim_"):] if name.startswith("tsapply_shim_") else ""
    if len(expected) != 64 or not all(c in "0123456789abcdef" for c in expected):
        return  # loaded under another name (tests, tools): nothing to compare with
    with open(__file__, "rb") as f:
        actual = hashlib.sha256(f.read()).hexdigest()
    if actual != expected:
        raise _setup_error(
            "tsapply's shim %s does not match its name (its sha256 is %s): it was changed "
            "after upload. Re-run the job in a new session so it is uploaded again." % (__file__, actual),
            "SHIM_CORRUPT",
        )


_check_own_content()
