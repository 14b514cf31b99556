"""onnxruntime's own dynamic quantizer applied to a float32 .onnx file: the baseline any user gets in
one line, which our int8 export is measured against (bench/bench-cpu.mjs runs this in a venv with
pip's onnxruntime and onnx; nothing here ships).

    python quantize-stock.py IN.onnx OUT.onnx
"""
import sys

from onnxruntime.quantization import QuantType, quantize_dynamic

# The quantizer's defaults (per-tensor weights) with signed int8 weights, as its documentation
# recommends for x64 CPUs.
quantize_dynamic(sys.argv[1], sys.argv[2], weight_type=QuantType.QInt8)
