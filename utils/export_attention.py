#!/usr/bin/env python3
"""Exports small real-frontend attention blocks to MLIR with torch-mlir.

Run through utils/export-frontend-ir.sh, which sets up the venv with torch and
torch-mlir.  For every model below and every format (linalg-on-tensors, TOSA)
this writes test/Frontend/Inputs/<model>.<format>.mlir, plus the seeded inputs
<model>.input<i>.npy (float32) and torch's own result computed in float64,
<model>.expected.npy, so the tests compare without torch.

The modules follow the reference implementations they are named after (GPT-2 /
nanoGPT, Hugging Face BERT eager attention, Meta's Llama reference with
Hugging Face's rotate_half RoPE and GQA), shrunk to tiny static shapes; the
weights are random (seeded) and become dense constants in the IR.
"""

import argparse
import math
import os
import shlex
import sys
import traceback
from importlib.metadata import version

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 20240607
FORMATS = {"linalg": "linalg-on-tensors", "tosa": "tosa", "onnx": "onnx"}


# --------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------

class GPT2Attention(nn.Module):
    """GPT-2 causal self-attention (fused c_attn, c_proj), nanoGPT layout.

    sdpa=True:  F.scaled_dot_product_attention(q, k, v, is_causal=True)
    sdpa=False: written out, q @ k^T * scale, masked_fill with the tril
                buffer, softmax, @ v (GPT-2's eager path).
    """

    def __init__(self, embed=32, heads=4, max_len=12, sdpa=True):
        super().__init__()
        self.heads = heads
        self.sdpa = sdpa
        self.c_attn = nn.Linear(embed, 3 * embed)
        self.c_proj = nn.Linear(embed, embed)
        # A persistent buffer, as in nanoGPT (torch-mlir's frozen import
        # finds no value for non-persistent buffers: "Could not find state
        # mapping for buffer").
        self.register_buffer(
            "bias",
            torch.tril(torch.ones(max_len, max_len)).view(1, 1, max_len, max_len))

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        hd = C // self.heads
        q = q.view(B, T, self.heads, hd).transpose(1, 2)
        k = k.view(B, T, self.heads, hd).transpose(1, 2)
        v = v.view(B, T, self.heads, hd).transpose(1, 2)
        if self.sdpa:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
            att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
            att = F.softmax(att, dim=-1)
            y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class BertSelfAttention(nn.Module):
    """BERT self-attention + output dense (Hugging Face eager path).

    Separate query/key/value projections; scores divided by sqrt(head_dim);
    an additive extended attention mask [B, 1, 1, L] (0 keep, -1e9 pad) as a
    function input; softmax; dropout (identity in eval); @ value; dense.
    """

    def __init__(self, embed=32, heads=4):
        super().__init__()
        self.heads = heads
        self.hd = embed // heads
        self.query = nn.Linear(embed, embed)
        self.key = nn.Linear(embed, embed)
        self.value = nn.Linear(embed, embed)
        self.dropout = nn.Dropout(0.1)
        self.dense = nn.Linear(embed, embed)

    def split(self, x):
        B, L, _ = x.shape
        return x.view(B, L, self.heads, self.hd).permute(0, 2, 1, 3)

    def forward(self, hidden, mask):
        q = self.split(self.query(hidden))
        k = self.split(self.key(hidden))
        v = self.split(self.value(hidden))
        scores = torch.matmul(q, k.transpose(-1, -2))
        scores = scores / math.sqrt(self.hd)
        scores = scores + mask
        probs = nn.functional.softmax(scores, dim=-1)
        probs = self.dropout(probs)
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        B, L = ctx.shape[:2]
        return self.dense(ctx.view(B, L, self.heads * self.hd))


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


class LlamaAttention(nn.Module):
    """Llama attention: GQA (8 query heads, 2 key/value heads, head_dim 8),
    rotary embeddings on q and k, causal.

    Like Meta's reference: no projection biases, cos/sin tables precomputed,
    K/V repeated to the query heads with repeat_interleave, and the causal
    mask built in forward as triu(full(-inf), 1) and added to the scores.
    """

    def __init__(self, heads=8, kv_heads=2, head_dim=8, max_len=12,
                 theta=10000.0):
        super().__init__()
        self.heads, self.kv_heads, self.hd = heads, kv_heads, head_dim
        embed = heads * head_dim
        self.q_proj = nn.Linear(embed, heads * head_dim, bias=False)
        self.k_proj = nn.Linear(embed, kv_heads * head_dim, bias=False)
        self.v_proj = nn.Linear(embed, kv_heads * head_dim, bias=False)
        self.o_proj = nn.Linear(heads * head_dim, embed, bias=False)
        inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2).float()
                                    / head_dim))
        freqs = torch.outer(torch.arange(max_len).float(), inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        self.register_buffer("cos", emb.cos())
        self.register_buffer("sin", emb.sin())

    def forward(self, x):
        B, L, _ = x.shape
        q = self.q_proj(x).view(B, L, self.heads, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(B, L, self.kv_heads, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(B, L, self.kv_heads, self.hd).transpose(1, 2)
        cos, sin = self.cos[:L], self.sin[:L]
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = self.heads // self.kv_heads
        k = torch.repeat_interleave(k, rep, dim=1)
        v = torch.repeat_interleave(v, rep, dim=1)
        mask = torch.full((L, L), float("-inf"), dtype=x.dtype, device=x.device)
        mask = torch.triu(mask, diagonal=1)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.hd)
        scores = scores + mask
        # Meta's reference upcasts (softmax(scores.float()).type_as(q)); that
        # is a no-op for the float32 export but would round the float64
        # reference to float32, so it is left out.
        scores = F.softmax(scores, dim=-1)
        out = torch.matmul(scores, v)
        out = out.transpose(1, 2).contiguous().view(B, L, -1)
        return self.o_proj(out)


class Gemma2Attention(nn.Module):
    """Gemma-2 attention: GQA (4 query heads, 2 key/value heads), scores
    scaled by query_pre_attn_scalar^-0.5, logits soft-capped as
    tanh(s / cap) * cap before the mask, and a sliding-window causal mask
    (key j visible to query i iff i - window < j <= i), written with
    masked_fill(-inf) as in Hugging Face's eager path.
    """

    def __init__(self, heads=4, kv_heads=2, head_dim=8, window=5, cap=50.0):
        super().__init__()
        self.heads, self.kv_heads, self.hd = heads, kv_heads, head_dim
        self.window, self.cap = window, cap
        embed = heads * head_dim
        self.q_proj = nn.Linear(embed, heads * head_dim, bias=False)
        self.k_proj = nn.Linear(embed, kv_heads * head_dim, bias=False)
        self.v_proj = nn.Linear(embed, kv_heads * head_dim, bias=False)
        self.o_proj = nn.Linear(heads * head_dim, embed, bias=False)

    def forward(self, x):
        B, L, _ = x.shape
        q = self.q_proj(x).view(B, L, self.heads, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(B, L, self.kv_heads, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(B, L, self.kv_heads, self.hd).transpose(1, 2)
        rep = self.heads // self.kv_heads
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
        scores = torch.matmul(q, k.transpose(2, 3)) * self.hd ** -0.5
        scores = torch.tanh(scores / self.cap) * self.cap
        i = torch.arange(L)[:, None]
        j = torch.arange(L)[None, :]
        visible = (j <= i) & (j > i - self.window)
        scores = scores.masked_fill(~visible, float("-inf"))
        probs = F.softmax(scores, dim=-1)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(B, L, -1)
        return self.o_proj(out)


class AlibiAttention(nn.Module):
    """BLOOM-style attention with ALiBi: a per-head slope times the key
    position added to the scores (BLOOM's form; the query term cancels in
    the softmax), plus a causal mask; fused query_key_value projection.
    """

    def __init__(self, embed=32, heads=4):
        super().__init__()
        self.heads, self.hd = heads, embed // heads
        self.qkv = nn.Linear(embed, 3 * embed)
        self.dense = nn.Linear(embed, embed)
        slopes = torch.tensor([2.0 ** (-8.0 * (h + 1) / heads)
                               for h in range(heads)])
        self.register_buffer("slopes", slopes)

    def forward(self, x):
        B, L, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q = q.view(B, L, self.heads, self.hd).transpose(1, 2)
        k = k.view(B, L, self.heads, self.hd).transpose(1, 2)
        v = v.view(B, L, self.heads, self.hd).transpose(1, 2)
        pos = torch.arange(L, dtype=x.dtype)
        alibi = self.slopes[:, None, None] * pos[None, None, :]
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.hd)
        scores = scores + alibi[None]
        causal = torch.ones(L, L, dtype=torch.bool).tril()
        scores = scores.masked_fill(~causal, float("-inf"))
        probs = F.softmax(scores, dim=-1)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(B, L, C)
        return self.dense(out)


class FalconMQA(nn.Module):
    """Falcon-style multi-query attention: one key/value head shared by all
    query heads, through F.scaled_dot_product_attention(is_causal=True,
    enable_gqa=True).
    """

    def __init__(self, heads=4, head_dim=8):
        super().__init__()
        self.heads, self.hd = heads, head_dim
        embed = heads * head_dim
        self.qkv = nn.Linear(embed, embed + 2 * head_dim)
        self.dense = nn.Linear(embed, embed)

    def forward(self, x):
        B, L, C = x.shape
        q, k, v = self.qkv(x).split([C, self.hd, self.hd], dim=2)
        q = q.view(B, L, self.heads, self.hd).transpose(1, 2)
        k = k.view(B, L, 1, self.hd).transpose(1, 2)
        v = v.view(B, L, 1, self.hd).transpose(1, 2)
        out = F.scaled_dot_product_attention(q, k, v, is_causal=True,
                                             enable_gqa=True)
        return self.dense(out.transpose(1, 2).reshape(B, L, C))


class CrossAttention(nn.Module):
    """Cross-attention with Lq != Lk through nn.MultiheadAttention
    (batch_first) with a key_padding_mask on the memory.
    """

    def __init__(self, embed=32, heads=4):
        super().__init__()
        self.mha = nn.MultiheadAttention(embed, heads, batch_first=True)

    def forward(self, x, memory, pad):
        out, _ = self.mha(x, memory, memory, key_padding_mask=pad,
                          need_weights=False)
        return out


class SdpaBoolMask(nn.Module):
    """F.scaled_dot_product_attention with a boolean attn_mask [B, 1, L, L]
    input and an explicit scale.
    """

    def __init__(self, heads=4, head_dim=8):
        super().__init__()
        self.heads, self.hd = heads, head_dim
        embed = heads * head_dim
        self.qkv = nn.Linear(embed, 3 * embed)

    def forward(self, x, mask):
        B, L, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q = q.view(B, L, self.heads, self.hd).transpose(1, 2)
        k = k.view(B, L, self.heads, self.hd).transpose(1, 2)
        v = v.view(B, L, self.heads, self.hd).transpose(1, 2)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask,
                                             scale=0.3)
        return out.transpose(1, 2).reshape(B, L, C)


class GPT2Block(nn.Module):
    """A GPT-2 transformer block: pre-LayerNorm causal self-attention and a
    GELU (exact, erf) MLP, each with a residual."""

    def __init__(self, embed=32, heads=4, max_len=12):
        super().__init__()
        self.ln_1 = nn.LayerNorm(embed)
        self.attn = GPT2Attention(embed, heads, max_len, sdpa=True)
        self.ln_2 = nn.LayerNorm(embed)
        self.c_fc = nn.Linear(embed, 4 * embed)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * embed, embed)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.c_proj(self.gelu(self.c_fc(self.ln_2(x))))


class GPT2Model(nn.Module):
    """A 2-layer GPT-2: token and position embeddings (lookups), two blocks,
    the final LayerNorm and the LM head; the input is token ids."""

    def __init__(self, vocab=64, embed=32, heads=4, max_len=12, layers=2):
        super().__init__()
        self.wte = nn.Embedding(vocab, embed)
        self.wpe = nn.Embedding(max_len, embed)
        self.blocks = nn.ModuleList(
            [GPT2Block(embed, heads, max_len) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(embed)
        self.lm_head = nn.Linear(embed, vocab, bias=False)

    def forward(self, idx):
        T = idx.shape[1]
        x = self.wte(idx) + self.wpe(torch.arange(T))
        for block in self.blocks:
            x = block(x)
        return self.lm_head(self.ln_f(x))


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim) + 0.1 * torch.randn(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) \
            * self.weight


class LlamaDecoderLayer(nn.Module):
    """A Llama decoder layer: RMSNorm, GQA attention with rotary embeddings
    (LlamaAttention), residual, RMSNorm, SwiGLU MLP (SiLU gate), residual."""

    def __init__(self, embed=64, hidden=128):
        super().__init__()
        self.input_layernorm = RMSNorm(embed)
        self.self_attn = LlamaAttention()
        self.post_attention_layernorm = RMSNorm(embed)
        self.gate_proj = nn.Linear(embed, hidden, bias=False)
        self.up_proj = nn.Linear(embed, hidden, bias=False)
        self.down_proj = nn.Linear(hidden, embed, bias=False)

    def forward(self, x):
        x = x + self.self_attn(self.input_layernorm(x))
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class NeoXAttention(nn.Module):
    """GPT-NeoX attention: fused QKV laid out per head, rotary embeddings on
    the first quarter of each head only (partial rotary), causal mask by
    masked_fill with the dtype's lowest value as in Hugging Face."""

    def __init__(self, embed=32, heads=4, max_len=12, rotary_pct=0.25):
        super().__init__()
        self.heads, self.hd = heads, embed // heads
        self.rot = int(self.hd * rotary_pct)
        self.qkv = nn.Linear(embed, 3 * embed)
        self.dense = nn.Linear(embed, embed)
        inv_freq = 1.0 / (10000 ** (torch.arange(0, self.rot, 2).float()
                                    / self.rot))
        freqs = torch.outer(torch.arange(max_len).float(), inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        self.register_buffer("cos", emb.cos())
        self.register_buffer("sin", emb.sin())

    def forward(self, x):
        B, L, C = x.shape
        qkv = self.qkv(x).view(B, L, self.heads, 3 * self.hd).permute(0, 2, 1, 3)
        q, k, v = qkv.split(self.hd, dim=-1)
        cos, sin = self.cos[:L], self.sin[:L]
        def rope(t):
            tr, tp = t[..., : self.rot], t[..., self.rot:]
            tr = tr * cos + rotate_half(tr) * sin
            return torch.cat((tr, tp), dim=-1)
        q, k = rope(q), rope(k)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.hd)
        causal = torch.ones(L, L, dtype=torch.bool).tril()
        scores = scores.masked_fill(~causal, float("-inf"))
        probs = F.softmax(scores, dim=-1)
        out = torch.matmul(probs, v).permute(0, 2, 1, 3).reshape(B, L, C)
        return self.dense(out)


class T5Attention(nn.Module):
    """T5 self-attention (encoder, bidirectional): no scaling of the scores,
    and a learned relative position bias — an embedding table indexed by
    log-bucketed relative positions — added to them."""

    def __init__(self, embed=32, heads=4, buckets=8, max_distance=16):
        super().__init__()
        self.heads, self.hd = heads, embed // heads
        self.buckets, self.max_distance = buckets, max_distance
        self.q = nn.Linear(embed, embed, bias=False)
        self.k = nn.Linear(embed, embed, bias=False)
        self.v = nn.Linear(embed, embed, bias=False)
        self.o = nn.Linear(embed, embed, bias=False)
        self.relative_attention_bias = nn.Embedding(buckets, heads)

    def bucket(self, rel):
        n = self.buckets // 2
        ret = (rel > 0).long() * n
        rel = rel.abs()
        max_exact = n // 2
        is_small = rel < max_exact
        large = max_exact + (torch.log(rel.float().clamp(min=1) / max_exact)
                             / math.log(self.max_distance / max_exact)
                             * (n - max_exact)).long()
        large = torch.minimum(large, torch.full_like(large, n - 1))
        return ret + torch.where(is_small, rel, large)

    def forward(self, x):
        B, L, C = x.shape
        split = lambda t: t.view(B, L, self.heads, self.hd).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        ctx = torch.arange(L)[:, None]
        mem = torch.arange(L)[None, :]
        bias = self.relative_attention_bias(self.bucket(mem - ctx))
        bias = bias.permute(2, 0, 1).unsqueeze(0)
        scores = torch.matmul(q, k.transpose(3, 2)) + bias
        probs = F.softmax(scores.float(), dim=-1).type_as(scores)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(B, L, C)
        return self.o(out)


def make_inputs(name, gen):
    if name.endswith("_bf16"):
        return [x.to(torch.bfloat16) for x in make_inputs(name[:-5], gen)]
    if name == "gpt2_2layer":
        return [torch.randint(0, 64, (1, 12), generator=gen)]
    if name.startswith("gpt2"):
        return [torch.randn(1, 12, 32, generator=gen)]
    if name == "bert":
        hidden = torch.randn(2, 10, 32, generator=gen)
        lengths = torch.tensor([10, 7])
        keep = torch.arange(10)[None, :] < lengths[:, None]
        mask = torch.where(keep, 0.0, -1e9).to(torch.float32)
        return [hidden, mask.view(2, 1, 1, 10)]
    if name == "llama_gqa":
        return [torch.randn(1, 12, 64, generator=gen)]
    if name == "llama_layer":
        return [torch.randn(1, 12, 64, generator=gen)]
    if name in ("gemma2_softcap", "alibi", "falcon_mqa", "neox_partial_rotary",
                "t5_relative_bias"):
        return [torch.randn(1, 12, 32, generator=gen)]
    if name == "cross_attention":
        lengths = torch.tensor([9, 6])
        pad = torch.arange(9)[None, :] >= lengths[:, None]
        return [torch.randn(2, 5, 32, generator=gen),
                torch.randn(2, 9, 32, generator=gen), pad]
    if name == "sdpa_bool_mask":
        mask = torch.rand(2, 1, 10, 10, generator=gen) > 0.3
        mask |= torch.eye(10, dtype=torch.bool)  # no fully masked row
        return [torch.randn(2, 10, 32, generator=gen), mask]
    raise KeyError(name)


MODELS = {
    "gpt2_sdpa": lambda: GPT2Attention(sdpa=True),
    "gpt2_manual": lambda: GPT2Attention(sdpa=False),
    "bert": lambda: BertSelfAttention(),
    "llama_gqa": lambda: LlamaAttention(),
    "gemma2_softcap": lambda: Gemma2Attention(),
    "alibi": lambda: AlibiAttention(),
    "falcon_mqa": lambda: FalconMQA(),
    "cross_attention": lambda: CrossAttention(),
    "sdpa_bool_mask": lambda: SdpaBoolMask(),
    "neox_partial_rotary": lambda: NeoXAttention(),
    "t5_relative_bias": lambda: T5Attention(),
    "gpt2_sdpa_bf16": lambda: GPT2Attention(sdpa=True).to(torch.bfloat16),
    "gpt2_2layer": lambda: GPT2Model(),
    "llama_layer": lambda: LlamaDecoderLayer(),
}


def build(name):
    """The module with seeded weights, in eval mode, and its seeded inputs."""
    torch.manual_seed(SEED)
    module = MODELS[name]().eval()
    gen = torch.Generator().manual_seed(SEED + 1)
    return module, make_inputs(name, gen)


# --------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------

def export_onnx(module, inputs, func_name):
    """torch.onnx.export (TorchScript exporter, opset 17), then torch-mlir's
    ONNX importer and its torch → linalg-on-tensors pipeline."""
    import tempfile
    import onnx
    from torch_mlir import ir, passmanager
    from torch_mlir.dialects import torch as torch_d
    from torch_mlir.extras import onnx_importer
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.onnx")
        with torch.no_grad():
            torch.onnx.export(module, tuple(inputs), path, dynamo=False,
                              opset_version=17)
        model = onnx.shape_inference.infer_shapes(onnx.load(path))
    model.graph.name = func_name
    ctx = ir.Context()
    torch_d.register_dialect(ctx)
    info = onnx_importer.ModelInfo(model)
    mlir_module = info.create_module(context=ctx).operation
    onnx_importer.NodeImporter.define_function(info.main_graph,
                                               mlir_module).import_all()
    with ctx:
        passmanager.PassManager.parse(
            "builtin.module(func.func(convert-torch-onnx-to-torch),"
            "torch-lower-to-backend-contract,"
            "torch-backend-to-linalg-on-tensors-backend-pipeline)").run(
                mlir_module)
    return mlir_module.get_asm(large_elements_limit=None,
                               enable_debug_info=False)


def export(module, inputs, output_type, func_name):
    if output_type == "onnx":
        return export_onnx(module, inputs, func_name)
    from torch_mlir import fx
    with torch.no_grad():
        mlir_module = fx.export_and_import(
            module, *inputs, output_type=output_type, func_name=func_name)
    # Print every constant in full (no elision) and without debug locations.
    return mlir_module.operation.get_asm(large_elements_limit=None,
                                         enable_debug_info=False)


def header(name, fmt, args, module):
    cmd = "utils/export-frontend-ir.sh"
    if args.models != ",".join(list(MODELS) + list(DYNAMIC)):
        cmd += " --models " + shlex.quote(args.models)
    if args.formats != ",".join(FORMATS):
        cmd += " --formats " + shlex.quote(args.formats)
    return (
        f"// Generated by utils/export-frontend-ir.sh "
        f"(torch {torch.__version__}, torch-mlir {version('torch-mlir')}) "
        f"— do not edit\n"
        f"// Command: {cmd}\n"
        + (f"// = utils/export_attention.py: torch.onnx.export("
           f"{type(module).__name__}, opset 17), torch-mlir's ONNX importer "
           f"and torch-backend-to-linalg-on-tensors-backend-pipeline\n"
           if fmt == "onnx" else
           f"// = utils/export_attention.py: torch_mlir.fx.export_and_import("
           f"{type(module).__name__}, "
           f"output_type=\"{FORMATS[fmt]}\", func_name=\"{name}\")\n"))


# Dynamic-length exports: (model, lengths) exported once with the sequence
# length a torch.export Dim, and run at each length.
# (Llama's rotary tables cover 12 positions, so its Dim ends there.)
DYNAMIC = {"gpt2_sdpa_dynamic": ("gpt2_sdpa", (5, 12, 40), 64),
           "llama_gqa_dynamic": ("llama_gqa", (3, 7, 12), 12),
           "gemma2_softcap_dynamic": ("gemma2_softcap", (4, 17, 29), 64),
           "alibi_dynamic": ("alibi", (6, 11, 40), 64)}


def export_dynamic(name, out):
    from torch_mlir import fx
    base, lengths, longest = DYNAMIC[name]
    module, inputs = build(base)
    T = torch.export.Dim("T", min=2, max=longest)
    with torch.no_grad():
        mlir_module = fx.export_and_import(
            module, *inputs, output_type="linalg-on-tensors", func_name=name,
            dynamic_shapes=({1: T},))
    text = mlir_module.operation.get_asm(large_elements_limit=None,
                                         enable_debug_info=False)
    with open(os.path.join(out, f"{name}.linalg.mlir"), "w") as f:
        f.write(f"// Generated by utils/export-frontend-ir.sh (torch "
                f"{torch.__version__}, torch-mlir {version('torch-mlir')}) "
                f"— do not edit\n// = utils/export_attention.py: "
                f"torch_mlir.fx.export_and_import({type(module).__name__}, "
                f"dynamic_shapes=({{1: Dim('T', min=2, max={longest})}},), "
                f"output_type=\"linalg-on-tensors\", func_name=\"{name}\")\n")
        f.write(text)
    reference = module.double()
    for k, length in enumerate(lengths):
        gen = torch.Generator().manual_seed(SEED + 10 + k)
        x = torch.randn(1, length, inputs[0].shape[2], generator=gen)
        np.save(os.path.join(out, f"{name}.L{length}.input0.npy"),
                x.numpy().astype(np.float32))
        with torch.no_grad():
            np.save(os.path.join(out, f"{name}.L{length}.expected.npy"),
                    reference(x.double()).numpy())
    module.float()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--models", default=",".join(list(MODELS) +
                                                    list(DYNAMIC)),
                        help="comma-separated subset of " +
                        ",".join(list(MODELS) + list(DYNAMIC)))
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help="comma-separated subset of " + ",".join(FORMATS))
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)

    failures = []
    for name in args.models.split(","):
        if name in DYNAMIC:
            export_dynamic(name, args.out)
            continue
        module, inputs = build(name)
        for i, x in enumerate(inputs):
            # bfloat16 as its bit patterns (<u2), Attn's .npy convention.
            a = (x.view(torch.int16).numpy().view(np.uint16)
                 if x.dtype == torch.bfloat16 else x.numpy())
            np.save(os.path.join(args.out, f"{name}.input{i}.npy"),
                    a.astype(np.float32) if x.is_floating_point()
                    and x.dtype != torch.bfloat16 else a)
        # torch's own result in float64 (weights and float inputs cast up).
        with torch.no_grad():
            ref = module.double()(*[x.double() if x.is_floating_point()
                                    else x for x in inputs])
        module.float()
        np.save(os.path.join(args.out, f"{name}.expected.npy"),
                ref.numpy().astype(np.float64))

        for fmt in args.formats.split(","):
            path = os.path.join(args.out, f"{name}.{fmt}.mlir")
            try:
                text = export(module, inputs, FORMATS[fmt], name)
            except Exception as e:  # report and go on with the others
                failures.append((name, fmt, e))
                print(f"export_attention: {name} -> {fmt} FAILED: {e}",
                      file=sys.stderr)
                traceback.print_exc()
                if os.path.exists(path):
                    os.remove(path)
                continue
            with open(path, "w") as f:
                f.write(header(name, fmt, args, module))
                f.write(text)
            print(f"export_attention: wrote {path} ({os.path.getsize(path)} "
                  f"bytes)", file=sys.stderr)

    # Inputs are not tests.
    with open(os.path.join(args.out, "lit.local.cfg"), "w") as f:
        f.write("# Inputs of the Frontend tests, not tests themselves.\n"
                "config.suffixes = []\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
