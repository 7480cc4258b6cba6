#!/usr/bin/env python3
"""Independent reference for 3mhealth's BERT classifier, written directly in
PyTorch (Debian's python3-torch) from the Hugging Face BertForSequenceClassification
definition, without sharing any code with the C++ model.

    python3 bert_reference.py DIR   ->  prints {"logits": [[...], ...]}

DIR holds config.json, model.safetensors (Hugging Face names) and inputs.json
({"input_ids": [[...]], "attention_mask": [[...]]}). Dropout is off (eval)."""
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    data = blob[8 + n:]
    dtypes = {"F32": np.float32, "F16": np.float16, "F64": np.float64}
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        arr = np.frombuffer(data[b:end], dtype=dtypes[e["dtype"]]).reshape(e["shape"])
        out[name] = torch.from_numpy(arr.astype(np.float32).copy())
    return out


def main(d):
    cfg = json.load(open(f"{d}/config.json"))
    w = read_safetensors(f"{d}/model.safetensors")
    inputs = json.load(open(f"{d}/inputs.json"))
    ids = torch.tensor(inputs["input_ids"], dtype=torch.long)
    mask = torch.tensor(inputs["attention_mask"], dtype=torch.float32)
    H, nh, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["layer_norm_eps"]
    act = {"gelu": F.gelu, "relu": F.relu}[cfg["hidden_act"]]
    B, T = ids.shape

    def ln(x, prefix):
        return F.layer_norm(x, (H,), w[prefix + ".weight"], w[prefix + ".bias"], eps)

    def lin(x, prefix):
        return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]

    p = "bert.embeddings."
    x = (w[p + "word_embeddings.weight"][ids]
         + w[p + "position_embeddings.weight"][torch.arange(T)][None]
         + w[p + "token_type_embeddings.weight"][0])
    x = ln(x, p + "LayerNorm")
    bias = (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float32).min
    hd = H // nh
    for i in range(cfg["num_hidden_layers"]):
        p = f"bert.encoder.layer.{i}."
        q, k, v = (lin(x, p + "attention.self." + n).view(B, T, nh, hd).transpose(1, 2)
                   for n in ("query", "key", "value"))
        probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + bias, dim=-1)
        ctx = (probs @ v).transpose(1, 2).reshape(B, T, H)
        a = ln(lin(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        x = ln(lin(act(lin(a, p + "intermediate.dense")), p + "output.dense") + a, p + "output.LayerNorm")
    if cfg.get("classifier_pooling", "cls") == "mean":
        first = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True)
    else:
        first = x[:, 0]
    pooled = torch.tanh(lin(first, "bert.pooler.dense"))
    logits = lin(pooled, "classifier")
    print(json.dumps({"logits": logits.tolist()}))


if __name__ == "__main__":
    with torch.no_grad():
        main(sys.argv[1])
