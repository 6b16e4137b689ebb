#!/usr/bin/python3
"""Builds a random-weight CLIP in the Hugging Face / transformers.js folder layout.

Run with Debian's interpreter (apt-get install -y python3-torch python3-onnx):

    /usr/bin/python3 scripts/make-tiny-clip.py                      # -> public/models/tiny-clip (committed)
    /usr/bin/python3 scripts/make-tiny-clip.py --vit-b32 --out models-bench/clip-vit-b32-random

The architecture follows Hugging Face's CLIPTextModelWithProjection and
CLIPVisionModelWithProjection (pre-LN encoder, quick_gelu, causal text mask, EOS pooling,
class-token pooling, bias-free projections), written out in plain torch because no Python
`transformers` package is available here. Weights are random (seeded): the outputs carry no
meaning; the fixture exercises tokenization, preprocessing, ONNX Runtime and the plumbing.
The tokenizer is a genuine CLIP-style byte-level BPE whose merges are learned from a small
built-in word list, so real titles tokenize into sub-words the way CLIP's would.
"""
import argparse
import json
import math
import os
import re
from collections import Counter

import torch
from torch import nn

BOS, EOS = '<|startoftext|>', '<|endoftext|>'
TINY = dict(vocab_merges=600, text_hidden=32, text_layers=2, text_heads=2, text_inter=64,
            vision_hidden=32, vision_layers=2, vision_heads=2, vision_inter=64,
            image_size=32, patch_size=8, projection=32, vocab_size=None)
VIT_B32 = dict(vocab_merges=600, text_hidden=512, text_layers=12, text_heads=8, text_inter=2048,
               vision_hidden=768, vision_layers=12, vision_heads=12, vision_inter=3072,
               image_size=224, patch_size=32, projection=512, vocab_size=49408)
MAX_POSITIONS = 77
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]
CORPUS = """
the a an and of for with in on to by from pack count ounce ounces oz lb pound pounds inch inches
size set piece pieces new best organic natural original classic premium gourmet fresh whole
chocolate coffee tea green black white red blue cheese milk butter sugar salt pepper spice spices
sauce oil olive vinegar honey jam snack snacks bar bars cookie cookies cracker crackers chips
candy gum nut nuts almond almonds peanut cashew rice pasta noodle noodles soup bean beans flour
baking mix cereal oat oats granola protein powder drink juice water sparkling flavor flavored
vanilla strawberry lemon orange apple cherry mint caramel cinnamon ginger coconut gluten free
kitchen knife knives steel stainless pan pans pot pots skillet cookware bakeware baking sheet
cutting board spoon spoons fork forks cup cups mug mugs bowl bowls plate plates glass glasses
bottle jar container containers lid lids storage towel towels holder rack stand cooker maker
blender mixer toaster oven kettle grinder filter press brewer scale timer thermometer opener
silicone nonstick ceramic cast iron wood wooden bamboo plastic glass electric manual dishwasher
safe black silver gray grey stainless heavy duty large small medium mini professional quality
""".split()


def bytes_to_unicode():
    """GPT-2/CLIP's reversible byte -> printable unicode map."""
    bs = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def learn_bpe(words, merges_wanted):
    """Plain BPE on CLIP's symbols (last symbol carries '</w>'); ties broken lexically for determinism."""
    byte_map = bytes_to_unicode()
    counts = Counter(words)
    split = {w: [byte_map[b] for b in w.encode('utf-8')] for w in counts}
    for w in split:
        split[w][-1] += '</w>'
    merges = []
    for _ in range(merges_wanted):
        pairs = Counter()
        for w, syms in split.items():
            for a, b in zip(syms, syms[1:]):
                pairs[(a, b)] += counts[w]
        if not pairs:
            break
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        merges.append(best)
        for w, syms in split.items():
            out, i = [], 0
            while i < len(syms):
                if i + 1 < len(syms) and (syms[i], syms[i + 1]) == best:
                    out.append(syms[i] + syms[i + 1])
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            split[w] = out
    return merges


def build_tokenizer(merges_wanted):
    byte_chars = list(bytes_to_unicode().values())
    vocab = {}
    for tok in byte_chars + [c + '</w>' for c in byte_chars]:
        vocab.setdefault(tok, len(vocab))
    merges = learn_bpe(CORPUS, merges_wanted)
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    bos_id, eos_id = len(vocab), len(vocab) + 1
    vocab[BOS], vocab[EOS] = bos_id, eos_id
    special = lambda tid, content: {'id': tid, 'content': content, 'single_word': False, 'lstrip': False,
                                    'rstrip': False, 'normalized': True, 'special': True}
    tokenizer = {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': [special(bos_id, BOS), special(eos_id, EOS)],
        'normalizer': {'type': 'Sequence', 'normalizers': [
            {'type': 'NFC'},
            {'type': 'Replace', 'pattern': {'Regex': r'\s+'}, 'content': ' '},
            {'type': 'Lowercase'}]},
        'pre_tokenizer': {'type': 'Sequence', 'pretokenizers': [
            {'type': 'Split', 'pattern': {'Regex': r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"},
             'behavior': 'Removed', 'invert': True},
            {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': True, 'use_regex': False}]},
        'post_processor': {'type': 'RobertaProcessing', 'sep': [EOS, eos_id], 'cls': [BOS, bos_id],
                           'trim_offsets': False, 'add_prefix_space': False},
        'decoder': {'type': 'ByteLevel', 'add_prefix_space': True, 'trim_offsets': True, 'use_regex': True},
        'model': {'type': 'BPE', 'dropout': None, 'unk_token': EOS, 'continuing_subword_prefix': '',
                  'end_of_word_suffix': '</w>', 'fuse_unk': False, 'byte_fallback': False,
                  'vocab': vocab, 'merges': [f'{a} {b}' for a, b in merges]},
    }
    config = {'tokenizer_class': 'CLIPTokenizer', 'model_max_length': MAX_POSITIONS, 'do_lower_case': True,
              'bos_token': BOS, 'eos_token': EOS, 'unk_token': EOS, 'pad_token': EOS,
              'clean_up_tokenization_spaces': False, 'add_prefix_space': False}
    return tokenizer, config, bos_id, eos_id, len(vocab)


class Layer(nn.Module):
    """HF CLIPEncoderLayer: pre-LN attention and MLP with quick_gelu."""

    def __init__(self, hidden, heads, inter):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(hidden), nn.LayerNorm(hidden)
        self.q, self.k, self.v, self.o = (nn.Linear(hidden, hidden) for _ in range(4))
        self.fc1, self.fc2 = nn.Linear(hidden, inter), nn.Linear(inter, hidden)

    def forward(self, x, bias):  # x [B, T, d]; bias [B, 1, T, T] additive mask
        b, t, d = x.shape
        h = self.ln1(x)
        split = lambda y: y.view(b, t, self.heads, d // self.heads).transpose(1, 2)  # [B, H, T, dh]
        q, k, v = split(self.q(h)), split(self.k(h)), split(self.v(h))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // self.heads) + bias, dim=-1)
        x = x + self.o((att @ v).transpose(1, 2).reshape(b, t, d))
        h = self.fc1(self.ln2(x))
        return x + self.fc2(h * torch.sigmoid(1.702 * h))


class TextModel(nn.Module):
    def __init__(self, cfg, vocab_size, eos_id):
        super().__init__()
        d = cfg['text_hidden']
        self.eos_id = eos_id
        self.tok = nn.Embedding(vocab_size, d)
        self.pos = nn.Parameter(torch.randn(MAX_POSITIONS, d) * 0.01)
        self.layers = nn.ModuleList(Layer(d, cfg['text_heads'], cfg['text_inter']) for _ in range(cfg['text_layers']))
        self.ln = nn.LayerNorm(d)
        self.proj = nn.Linear(d, cfg['projection'], bias=False)

    def forward(self, input_ids, attention_mask):  # [B, T] int64 each
        t = input_ids.shape[1]
        x = self.tok(input_ids) + self.pos[:t]  # [B, T, d]
        causal = torch.triu(torch.full((t, t), -1e9), diagonal=1)  # [T, T]
        pad = (1.0 - attention_mask[:, None, None, :].float()) * -1e9  # [B, 1, 1, T]
        bias = causal[None, None] + pad
        for layer in self.layers:
            x = layer(x, bias)
        x = self.ln(x)
        eos_at = (input_ids == self.eos_id).float().argmax(dim=-1)  # first EOS: padding is EOS too
        pooled = x[torch.arange(x.shape[0]), eos_at]  # [B, d]
        return self.proj(pooled), x


class VisionModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, p, s = cfg['vision_hidden'], cfg['patch_size'], cfg['image_size']
        self.patch = nn.Conv2d(3, d, p, stride=p, bias=False)
        self.cls = nn.Parameter(torch.randn(d) * 0.02)
        self.pos = nn.Parameter(torch.randn((s // p) ** 2 + 1, d) * 0.02)
        self.pre_ln, self.post_ln = nn.LayerNorm(d), nn.LayerNorm(d)
        self.layers = nn.ModuleList(Layer(d, cfg['vision_heads'], cfg['vision_inter']) for _ in range(cfg['vision_layers']))
        self.proj = nn.Linear(d, cfg['projection'], bias=False)

    def forward(self, pixel_values):  # [B, 3, S, S]
        x = self.patch(pixel_values).flatten(2).transpose(1, 2)  # [B, P, d]
        x = torch.cat([self.cls.expand(x.shape[0], 1, -1), x], dim=1) + self.pos  # [B, P+1, d]
        x = self.pre_ln(x)
        bias = torch.zeros(1, 1, 1, 1)
        for layer in self.layers:
            x = layer(x, bias)
        return self.proj(self.post_ln(x[:, 0])), x


def configs(cfg, vocab_size, bos_id, eos_id):
    text = {'model_type': 'clip_text_model', 'hidden_size': cfg['text_hidden'], 'intermediate_size': cfg['text_inter'],
            'num_hidden_layers': cfg['text_layers'], 'num_attention_heads': cfg['text_heads'],
            'max_position_embeddings': MAX_POSITIONS, 'vocab_size': vocab_size, 'hidden_act': 'quick_gelu',
            'projection_dim': cfg['projection'], 'bos_token_id': bos_id, 'eos_token_id': eos_id, 'pad_token_id': eos_id}
    vision = {'model_type': 'clip_vision_model', 'hidden_size': cfg['vision_hidden'], 'intermediate_size': cfg['vision_inter'],
              'num_hidden_layers': cfg['vision_layers'], 'num_attention_heads': cfg['vision_heads'],
              'image_size': cfg['image_size'], 'patch_size': cfg['patch_size'], 'num_channels': 3,
              'hidden_act': 'quick_gelu', 'projection_dim': cfg['projection']}
    config = {'architectures': ['CLIPModel'], 'model_type': 'clip', 'projection_dim': cfg['projection'],
              'logit_scale_init_value': 2.6592, 'text_config': text, 'vision_config': vision,
              'hafrec_note': 'random weights generated by scripts/make-tiny-clip.py; outputs carry no meaning'}
    s = cfg['image_size']
    pre = {'image_processor_type': 'CLIPImageProcessor', 'feature_extractor_type': 'CLIPFeatureExtractor',
           'do_resize': True, 'size': {'shortest_edge': s}, 'resample': 3, 'do_center_crop': True,
           'crop_size': {'height': s, 'width': s}, 'do_rescale': True, 'rescale_factor': 1 / 255,
           'do_normalize': True, 'image_mean': MEAN, 'image_std': STD, 'do_convert_rgb': True}
    return config, pre


def export(model, args, path, inputs, outputs, dynamic):
    model.eval()
    with torch.no_grad():
        torch.onnx.export(model, args, path, input_names=inputs, output_names=outputs,
                          dynamic_axes=dynamic, opset_version=14, do_constant_folding=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default='public/models/tiny-clip')
    ap.add_argument('--vit-b32', action='store_true', help='ViT-B/32 shapes (~600 MB fp32) instead of the tiny fixture')
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    cfg = VIT_B32 if a.vit_b32 else TINY
    torch.manual_seed(a.seed)
    tokenizer, tok_config, bos_id, eos_id, n_tokens = build_tokenizer(cfg['vocab_merges'])
    vocab_size = max(cfg['vocab_size'] or 0, n_tokens)
    os.makedirs(os.path.join(a.out, 'onnx'), exist_ok=True)
    config, pre = configs(cfg, vocab_size, bos_id, eos_id)
    for name, obj in [('tokenizer.json', tokenizer), ('tokenizer_config.json', tok_config),
                      ('config.json', config), ('preprocessor_config.json', pre)]:
        with open(os.path.join(a.out, name), 'w', encoding='utf-8') as f:
            json.dump(obj, f, ensure_ascii=False, indent=1 if name != 'tokenizer.json' else None)
            f.write('\n')
    text = TextModel(cfg, vocab_size, eos_id)
    ids = torch.tensor([[bos_id, 5, 6, eos_id, eos_id], [bos_id, 7, 8, 9, eos_id]])
    export(text, (ids, torch.ones_like(ids)), os.path.join(a.out, 'onnx', 'text_model.onnx'),
           ['input_ids', 'attention_mask'], ['text_embeds', 'last_hidden_state'],
           {'input_ids': {0: 'batch', 1: 'sequence'}, 'attention_mask': {0: 'batch', 1: 'sequence'},
            'text_embeds': {0: 'batch'}, 'last_hidden_state': {0: 'batch', 1: 'sequence'}})
    vision = VisionModel(cfg)
    s = cfg['image_size']
    export(vision, (torch.randn(2, 3, s, s),), os.path.join(a.out, 'onnx', 'vision_model.onnx'),
           ['pixel_values'], ['image_embeds', 'last_hidden_state'],
           {'pixel_values': {0: 'batch'}, 'image_embeds': {0: 'batch'}, 'last_hidden_state': {0: 'batch'}})
    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(a.out) for f in fs)
    print(f'wrote {a.out}: vocab {vocab_size}, {total / 1024:.0f} KiB')


if __name__ == '__main__':
    main()
