#!/usr/bin/env python3
"""Writes the example models of test/models as ONNX text (.onnxtxt) with
deterministic weights: a small CNN, one transformer encoder block, a set
of recurrent layers (LSTM, GRU, RNN), and small GPT-2- and BERT-style
models in the op patterns torch exports them with (for partitioning).

    python3 test/models/make_models.py test/models
"""

import os
import sys

import numpy as np

HEADER = '<ir_version: 8, opset_import: ["" : 17]>\n'


def tensor(name, array):
    dims = "[%s]" % ",".join(str(d) for d in array.shape) if array.shape else ""
    if array.dtype in (np.int64, np.int32, np.bool_):
        values = ", ".join(str(int(v)) for v in array.ravel())
        return "%s%s %s = {%s}" % (array.dtype.name, dims, name, values)
    values = ", ".join("%.6g" % v for v in array.ravel())
    return "float%s %s = {%s}" % (dims, name, values)


def model(signature, weights, nodes):
    inits = ",\n ".join(tensor(n, a) for n, a in weights)
    body = "\n".join("  " + n for n in nodes)
    return "%s%s\n<%s>\n{\n%s\n}\n" % (HEADER, signature, inits, body)


def cnn(rng):
    w = lambda *s: (rng.standard_normal(s) / np.sqrt(np.prod(s[1:]))).astype(np.float32)
    weights = [
        ("conv1_w", w(8, 3, 3, 3)), ("conv1_b", w(8)),
        ("bn_scale", (1 + 0.1 * rng.standard_normal(8)).astype(np.float32)),
        ("bn_bias", (0.1 * rng.standard_normal(8)).astype(np.float32)),
        ("bn_mean", (0.1 * rng.standard_normal(8)).astype(np.float32)),
        ("bn_var", (1 + 0.2 * rng.random(8)).astype(np.float32)),
        ("conv2_w", w(16, 8, 3, 3)), ("conv2_b", w(16)),
        ("fc_w", w(10, 16)), ("fc_b", w(10)),
    ]
    nodes = [
        "c1 = Conv <pads = [1, 1, 1, 1]> (x, conv1_w, conv1_b)",
        "b1 = BatchNormalization <epsilon = 1e-5> (c1, bn_scale, bn_bias, bn_mean, bn_var)",
        "r1 = Relu (b1)",
        "p1 = MaxPool <kernel_shape = [2, 2], strides = [2, 2]> (r1)",
        "c2 = Conv <pads = [1, 1, 1, 1], strides = [2, 2]> (p1, conv2_w, conv2_b)",
        "r2 = Relu (c2)",
        "g = GlobalAveragePool (r2)",
        "f = Flatten <axis = 1> (g)",
        "logits = Gemm <transB = 1> (f, fc_w, fc_b)",
        "y = Softmax <axis = 1> (logits)",
    ]
    return model("cnn (float[N, 3, 32, 32] x) => (float[N, 10] y)", weights, nodes)


def transformer_block(rng, vocab=50, seq=8, d=32, heads=4, ffn=64):
    w = lambda *s: (rng.standard_normal(s) / np.sqrt(s[0])).astype(np.float32)
    dh = d // heads
    weights = [
        ("tok_emb", (0.5 * rng.standard_normal((vocab, d))).astype(np.float32)),
        ("pos_emb", (0.1 * rng.standard_normal((seq, d))).astype(np.float32)),
        ("ln1_scale", (1 + 0.1 * rng.standard_normal(d)).astype(np.float32)),
        ("ln1_bias", (0.1 * rng.standard_normal(d)).astype(np.float32)),
        ("wq", w(d, d)), ("bq", w(d)), ("wk", w(d, d)), ("bk", w(d)),
        ("wv", w(d, d)), ("bv", w(d)), ("wo", w(d, d)), ("bo", w(d)),
        ("ln2_scale", (1 + 0.1 * rng.standard_normal(d)).astype(np.float32)),
        ("ln2_bias", (0.1 * rng.standard_normal(d)).astype(np.float32)),
        ("w1", w(d, ffn)), ("b1", w(ffn)), ("w2", w(ffn, d)), ("b2", w(d)),
        ("head_dims", np.array([heads, dh], dtype=np.int64)),
        ("merge_shape", np.array([0, 0, d], dtype=np.int64)),
    ]
    nodes = [
        # Embedding: tokens (B, S) -> (B, S, d), plus positions.
        "tok = Gather <axis = 0> (tok_emb, ids)",
        "x = Add (tok, pos_emb)",
        # Attention, pre-LayerNorm.
        "h = LayerNormalization <axis = -1, epsilon = 1e-5> (x, ln1_scale, ln1_bias)",
        "q0 = MatMul (h, wq)", "q = Add (q0, bq)",
        "k0 = MatMul (h, wk)", "k = Add (k0, bk)",
        "v0 = MatMul (h, wv)", "v = Add (v0, bv)",
        # (B, S, d) -> (B, S, heads, dh), the shape computed from h's shape.
        "hs = Shape (h)",
        "bs = Slice (hs, zero1, two1)",
        "split_shape = Concat <axis = 0> (bs, head_dims)",
        "q4 = Reshape (q, split_shape)", "k4 = Reshape (k, split_shape)",
        "v4 = Reshape (v, split_shape)",
        "qh = Transpose <perm = [0, 2, 1, 3]> (q4)",
        "kt = Transpose <perm = [0, 2, 3, 1]> (k4)",
        "vh = Transpose <perm = [0, 2, 1, 3]> (v4)",
        "s0 = MatMul (qh, kt)",
        "s = Mul (s0, inv_sqrt_dh)",
        "p = Softmax <axis = -1> (s)",
        "ctx = MatMul (p, vh)",
        "ctx_t = Transpose <perm = [0, 2, 1, 3]> (ctx)",
        "ctx_m = Reshape (ctx_t, merge_shape)",
        "o0 = MatMul (ctx_m, wo)", "o = Add (o0, bo)",
        "x1 = Add (x, o)",
        # MLP with exact (erf) GELU.
        "h2 = LayerNormalization <axis = -1, epsilon = 1e-5> (x1, ln2_scale, ln2_bias)",
        "f0 = MatMul (h2, w1)", "f1 = Add (f0, b1)",
        "e0 = Div (f1, sqrt2)", "e1 = Erf (e0)", "e2 = Add (e1, one)",
        "e3 = Mul (f1, e2)", "g = Mul (e3, half)",
        "m0 = MatMul (g, w2)", "m = Add (m0, b2)",
        "y = Add (x1, m)",
    ]
    scalars = [
        ("zero1", np.array([0], dtype=np.int64)), ("two1", np.array([2], dtype=np.int64)),
        ("inv_sqrt_dh", np.array([1 / np.sqrt(dh)], dtype=np.float32)),
        ("sqrt2", np.array([np.sqrt(2)], dtype=np.float32)),
        ("one", np.array([1], dtype=np.float32)), ("half", np.array([0.5], dtype=np.float32)),
    ]
    return model("encoder_block (int64[B, %d] ids) => (float[B, %d, %d] y)" % (seq, seq, d),
                 weights + scalars, nodes)


def recurrent(rng, seq=5, batch=2, inp=3, hidden=4):
    """LSTM, GRU and RNN layers over every option Kiln imports: directions,
    biases, initial states, peepholes, sequence lengths, clip, activations
    with alpha and beta, linear_before_reset, input_forget (layout 1, which
    onnxruntime does not run, is left to the ONNX node tests)."""
    w = lambda *s: (0.5 * rng.standard_normal(s)).astype(np.float32)
    h = hidden
    weights = [
        ("lstm_w", w(2, 4 * h, inp)), ("lstm_r", w(2, 4 * h, h)),
        ("lstm_b", w(2, 8 * h)), ("lstm_p", w(2, 3 * h)),
        ("lens", np.array([seq, 3], dtype=np.int32)),
        ("gru_w", w(1, 3 * h, inp)), ("gru_r", w(1, 3 * h, h)), ("gru_b", w(1, 6 * h)),
        ("rnn_w", w(2, h, inp)), ("rnn_r", w(2, h, h)), ("rnn_b", w(2, 2 * h)),
        ("lstm1_w", w(1, 4 * h, inp)), ("lstm1_r", w(1, 4 * h, h)),
    ]
    nodes = [
        "lstm_y, lstm_h, lstm_c = LSTM <hidden_size = %d, direction = \"bidirectional\", "
        "clip = 3.0> (x, lstm_w, lstm_r, lstm_b, lens, h0, c0, lstm_p)" % h,
        "gru_y, gru_h = GRU <hidden_size = %d> (x, gru_w, gru_r, gru_b, , h1)" % h,
        "gru_reverse_y, gru_reverse_h = GRU <hidden_size = %d, direction = \"reverse\", "
        "linear_before_reset = 1> (x, gru_w, gru_r, gru_b, lens)" % h,
        "rnn_y, rnn_h = RNN <hidden_size = %d, direction = \"bidirectional\", "
        "activations = [\"LeakyRelu\", \"HardSigmoid\"], activation_alpha = [0.2, 0.3], "
        "activation_beta = [0.6]> (x, rnn_w, rnn_r, rnn_b)" % h,
        "lstm_forget_y, lstm_forget_h, lstm_forget_c = LSTM <hidden_size = %d, "
        "input_forget = 1, activations = [\"Sigmoid\", \"Softsign\", \"Elu\"]> "
        "(x, lstm1_w, lstm1_r)" % h,
    ]
    signature = (
        "recurrent (float[%d, %d, %d] x, float[2, %d, %d] h0, float[2, %d, %d] c0, "
        "float[1, %d, %d] h1) => (float[%d, 2, %d, %d] lstm_y, float[2, %d, %d] lstm_h, "
        "float[2, %d, %d] lstm_c, float[%d, 1, %d, %d] gru_y, float[1, %d, %d] gru_h, "
        "float[%d, 1, %d, %d] gru_reverse_y, float[1, %d, %d] gru_reverse_h, "
        "float[%d, 2, %d, %d] rnn_y, float[2, %d, %d] rnn_h, "
        "float[%d, 1, %d, %d] lstm_forget_y, float[1, %d, %d] lstm_forget_h, "
        "float[1, %d, %d] lstm_forget_c)"
        % (seq, batch, inp, batch, h, batch, h, batch, h,
           seq, batch, h, batch, h, batch, h, seq, batch, h, batch, h,
           seq, batch, h, batch, h, seq, batch, h, batch, h,
           seq, batch, h, batch, h, batch, h))
    return model(signature, weights, nodes)


def gpt_decoder(rng, vocab=50, seq=8, d=32, heads=4, ffn=64, layers=2):
    """A GPT-2-style decoder as torch exports it: pre-LayerNorm, a fused
    QKV projection (Gemm on [B*S, d], then Split in thirds), a causal mask,
    tanh GELU, every linear layer a Gemm with bias between reshapes."""
    w = lambda *s: (rng.standard_normal(s) / np.sqrt(s[0])).astype(np.float32)
    ln = lambda n: [(n + "_scale", (1 + 0.1 * rng.standard_normal(d)).astype(np.float32)),
                    (n + "_bias", (0.1 * rng.standard_normal(d)).astype(np.float32))]
    dh = d // heads
    weights = [
        ("wte", (0.5 * rng.standard_normal((vocab, d))).astype(np.float32)),
        ("wpe", (0.1 * rng.standard_normal((seq, d))).astype(np.float32)),
        ("causal", np.tril(np.ones((seq, seq))).astype(bool)),
    ]
    nodes = [
        "tok = Gather <axis = 0> (wte, ids)",
        "x0 = Add (tok, wpe)",
        "xs = Shape (ids)",
        "bs = Slice (xs, zero1, two1)",
        "qkv_shape = Concat <axis = 0> (bs, three_d)",
        "out_shape = Concat <axis = 0> (bs, d1)",
        "fc_shape = Concat <axis = 0> (bs, ffn1)",
        "head_shape = Concat <axis = 0> (bs, head_dims)",
    ]
    for l in range(layers):
        weights += ln("ln1_%d" % l) + [
            ("w_qkv_%d" % l, w(d, 3 * d)), ("b_qkv_%d" % l, w(3 * d)),
            ("w_o_%d" % l, w(d, d)), ("b_o_%d" % l, w(d)),
        ] + ln("ln2_%d" % l) + [
            ("w_fc_%d" % l, w(d, ffn)), ("b_fc_%d" % l, w(ffn)),
            ("w_proj_%d" % l, w(ffn, d)), ("b_proj_%d" % l, w(d)),
        ]
        x, n = "x%d" % l, "l%d_" % l
        nodes += [
            "%sh = LayerNormalization <axis = -1, epsilon = 1e-5> (%s, ln1_%d_scale, ln1_%d_bias)" % (n, x, l, l),
            "%sh2 = Reshape (%sh, flat_d)" % (n, n),
            "%sqkv2 = Gemm (%sh2, w_qkv_%d, b_qkv_%d)" % (n, n, l, l),
            "%sqkv = Reshape (%sqkv2, qkv_shape)" % (n, n),
            "%sq, %sk, %sv = Split <axis = 2> (%sqkv, thirds)" % (n, n, n, n),
            "%sq4 = Reshape (%sq, head_shape)" % (n, n),
            "%sk4 = Reshape (%sk, head_shape)" % (n, n),
            "%sv4 = Reshape (%sv, head_shape)" % (n, n),
            "%sqh = Transpose <perm = [0, 2, 1, 3]> (%sq4)" % (n, n),
            "%skt = Transpose <perm = [0, 2, 3, 1]> (%sk4)" % (n, n),
            "%svh = Transpose <perm = [0, 2, 1, 3]> (%sv4)" % (n, n),
            "%ss0 = MatMul (%sqh, %skt)" % (n, n, n),
            "%ss1 = Mul (%ss0, inv_sqrt_dh)" % (n, n),
            "%ss = Where (causal, %ss1, masked)" % (n, n),
            "%sp = Softmax <axis = -1> (%ss)" % (n, n),
            "%sctx = MatMul (%sp, %svh)" % (n, n, n),
            "%sctx_t = Transpose <perm = [0, 2, 1, 3]> (%sctx)" % (n, n),
            "%sctx_m = Reshape (%sctx_t, flat_d)" % (n, n),
            "%so2 = Gemm (%sctx_m, w_o_%d, b_o_%d)" % (n, n, l, l),
            "%so = Reshape (%so2, out_shape)" % (n, n),
            "%sx1 = Add (%s, %so)" % (n, x, n),
            "%sh3 = LayerNormalization <axis = -1, epsilon = 1e-5> (%sx1, ln2_%d_scale, ln2_%d_bias)" % (n, n, l, l),
            "%sh4 = Reshape (%sh3, flat_d)" % (n, n),
            "%sf2 = Gemm (%sh4, w_fc_%d, b_fc_%d)" % (n, n, l, l),
            "%sf = Reshape (%sf2, fc_shape)" % (n, n),
            # tanh GELU: 0.5 f (1 + tanh(sqrt(2/pi) (f + 0.044715 f^3))).
            "%sf3 = Pow (%sf, three)" % (n, n),
            "%sg0 = Mul (%sf3, gelu_c)" % (n, n),
            "%sg1 = Add (%sf, %sg0)" % (n, n, n),
            "%sg2 = Mul (%sg1, gelu_k)" % (n, n),
            "%sg3 = Tanh (%sg2)" % (n, n),
            "%sg4 = Add (%sg3, one)" % (n, n),
            "%sg5 = Mul (%sf, %sg4)" % (n, n, n),
            "%sg = Mul (%sg5, half)" % (n, n),
            "%sg2d = Reshape (%sg, flat_ffn)" % (n, n),
            "%sm2 = Gemm (%sg2d, w_proj_%d, b_proj_%d)" % (n, n, l, l),
            "%sm = Reshape (%sm2, out_shape)" % (n, n),
            "x%d = Add (%sx1, %sm)" % (l + 1, n, n),
        ]
    weights += ln("ln_f")
    nodes.append("y = LayerNormalization <axis = -1, epsilon = 1e-5> (x%d, ln_f_scale, ln_f_bias)" % layers)
    scalars = [
        ("zero1", np.array([0], dtype=np.int64)), ("two1", np.array([2], dtype=np.int64)),
        ("three_d", np.array([3 * d], dtype=np.int64)), ("d1", np.array([d], dtype=np.int64)),
        ("ffn1", np.array([ffn], dtype=np.int64)),
        ("head_dims", np.array([heads, dh], dtype=np.int64)),
        ("flat_d", np.array([-1, d], dtype=np.int64)),
        ("flat_ffn", np.array([-1, ffn], dtype=np.int64)),
        ("thirds", np.array([d, d, d], dtype=np.int64)),
        ("inv_sqrt_dh", np.array([1 / np.sqrt(dh)], dtype=np.float32)),
        ("masked", np.array([-1e4], dtype=np.float32)),
        ("three", np.array([3], dtype=np.float32)),
        ("gelu_c", np.array([0.044715], dtype=np.float32)),
        ("gelu_k", np.array([np.sqrt(2 / np.pi)], dtype=np.float32)),
        ("one", np.array([1], dtype=np.float32)), ("half", np.array([0.5], dtype=np.float32)),
    ]
    return model("gpt_decoder (int64[B, %d] ids) => (float[B, %d, %d] y)" % (seq, seq, d),
                 weights + scalars, nodes)


def bert_encoder(rng, vocab=50, seq=8, d=32, heads=4, ffn=64, layers=2):
    """A BERT-style encoder: an attention mask input made additive, separate
    Q / K / V MatMul + Add, post-LayerNorm, erf GELU, and a pooler (Gemm
    with bias and Tanh on the first token)."""
    w = lambda *s: (rng.standard_normal(s) / np.sqrt(s[0])).astype(np.float32)
    ln = lambda n: [(n + "_scale", (1 + 0.1 * rng.standard_normal(d)).astype(np.float32)),
                    (n + "_bias", (0.1 * rng.standard_normal(d)).astype(np.float32))]
    dh = d // heads
    weights = [
        ("word_emb", (0.5 * rng.standard_normal((vocab, d))).astype(np.float32)),
        ("pos_emb", (0.1 * rng.standard_normal((seq, d))).astype(np.float32)),
    ] + ln("ln_e")
    nodes = [
        "tok = Gather <axis = 0> (word_emb, ids)",
        "e = Add (tok, pos_emb)",
        "x0 = LayerNormalization <axis = -1, epsilon = 1e-12> (e, ln_e_scale, ln_e_bias)",
        "mf = Cast <to = 1> (mask)",
        "inv = Sub (one, mf)",
        "add_mask2 = Mul (inv, masked)",
        "add_mask = Unsqueeze (add_mask2, axes12)",
    ]
    for l in range(layers):
        weights += [
            ("wq_%d" % l, w(d, d)), ("bq_%d" % l, w(d)), ("wk_%d" % l, w(d, d)),
            ("bk_%d" % l, w(d)), ("wv_%d" % l, w(d, d)), ("bv_%d" % l, w(d)),
            ("wo_%d" % l, w(d, d)), ("bo_%d" % l, w(d)),
        ] + ln("ln1_%d" % l) + [
            ("w1_%d" % l, w(d, ffn)), ("b1_%d" % l, w(ffn)),
            ("w2_%d" % l, w(ffn, d)), ("b2_%d" % l, w(d)),
        ] + ln("ln2_%d" % l)
        x, n = "x%d" % l, "l%d_" % l
        for t in "qkv":
            nodes += ["%s%s0 = MatMul (%s, w%s_%d)" % (n, t, x, t, l),
                      "%s%s1 = Add (%s%s0, b%s_%d)" % (n, t, n, t, t, l),
                      "%s%s4 = Reshape (%s%s1, head_shape)" % (n, t, n, t)]
        nodes += [
            "%sqh = Transpose <perm = [0, 2, 1, 3]> (%sq4)" % (n, n),
            "%skt = Transpose <perm = [0, 2, 3, 1]> (%sk4)" % (n, n),
            "%svh = Transpose <perm = [0, 2, 1, 3]> (%sv4)" % (n, n),
            "%ss0 = MatMul (%sqh, %skt)" % (n, n, n),
            "%ss1 = Div (%ss0, sqrt_dh)" % (n, n),
            "%ss = Add (%ss1, add_mask)" % (n, n),
            "%sp = Softmax <axis = -1> (%ss)" % (n, n),
            "%sctx = MatMul (%sp, %svh)" % (n, n, n),
            "%sctx_t = Transpose <perm = [0, 2, 1, 3]> (%sctx)" % (n, n),
            "%sctx_m = Reshape (%sctx_t, merge_shape)" % (n, n),
            "%so0 = MatMul (%sctx_m, wo_%d)" % (n, n, l),
            "%so = Add (%so0, bo_%d)" % (n, n, l),
            "%sr1 = Add (%s, %so)" % (n, x, n),
            "%sx1 = LayerNormalization <axis = -1, epsilon = 1e-12> (%sr1, ln1_%d_scale, ln1_%d_bias)" % (n, n, l, l),
            "%sf0 = MatMul (%sx1, w1_%d)" % (n, n, l),
            "%sf = Add (%sf0, b1_%d)" % (n, n, l),
            "%se0 = Div (%sf, sqrt2)" % (n, n),
            "%se1 = Erf (%se0)" % (n, n),
            "%se2 = Add (%se1, one)" % (n, n),
            "%se3 = Mul (%sf, %se2)" % (n, n, n),
            "%sg = Mul (%se3, half)" % (n, n),
            "%sm0 = MatMul (%sg, w2_%d)" % (n, n, l),
            "%sm = Add (%sm0, b2_%d)" % (n, n, l),
            "%sr2 = Add (%sx1, %sm)" % (n, n, n),
            "x%d = LayerNormalization <axis = -1, epsilon = 1e-12> (%sr2, ln2_%d_scale, ln2_%d_bias)" % (l + 1, n, l, l),
        ]
    weights += [("w_pool", w(d, d)), ("b_pool", w(d))]
    nodes += [
        "y = Identity (x%d)" % layers,
        "cls = Gather <axis = 1> (y, zero)",
        "pool0 = Gemm (cls, w_pool, b_pool)",
        "pooled = Tanh (pool0)",
    ]
    scalars = [
        ("zero", np.array(0, dtype=np.int64)),
        ("axes12", np.array([1, 2], dtype=np.int64)),
        ("head_shape", np.array([0, 0, heads, dh], dtype=np.int64)),
        ("merge_shape", np.array([0, 0, d], dtype=np.int64)),
        ("sqrt_dh", np.array([np.sqrt(dh)], dtype=np.float32)),
        ("masked", np.array([-10000], dtype=np.float32)),
        ("sqrt2", np.array([np.sqrt(2)], dtype=np.float32)),
        ("one", np.array([1], dtype=np.float32)), ("half", np.array([0.5], dtype=np.float32)),
    ]
    return model("bert_encoder (int64[B, %d] ids, int64[B, %d] mask) => "
                 "(float[B, %d, %d] y, float[B, %d] pooled)" % (seq, seq, seq, d, d),
                 weights + scalars, nodes)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(__file__)
    rng = np.random.default_rng(7)
    for name, text in [("cnn.onnxtxt", cnn(rng)),
                       ("transformer_block.onnxtxt", transformer_block(rng)),
                       ("recurrent.onnxtxt", recurrent(rng)),
                       ("gpt_decoder.onnxtxt", gpt_decoder(rng)),
                       ("bert_encoder.onnxtxt", bert_encoder(rng))]:
        with open(os.path.join(out, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
