#!/usr/bin/env python3
"""Writes the seed corpus of the config.json / preprocessor_config.json fuzzer
(fuzz/model_config_fuzz.cpp) into fuzz/corpus_model_config/: the Hugging Face preprocessing
styles of tests/fixtures/hf_preprocess, the shared models' configs, and hostile label maps
and sizes of issue 11.    /usr/bin/python3 tools/make_model_config_corpus.py
"""
import glob
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "fuzz", "corpus_model_config")

HOSTILE = {
    "id2label_bad_key.json": {"id2label": {"0": "a", "1abc": "b"}},
    "id2label_negative.json": {"id2label": {"0": "a", "-1": "b"}},
    "id2label_duplicates.json": {"id2label": {"0": "cat", "1": "dog", "2": "cat"}},
    "id2label_same_index.json": {"id2label": {"0": "a", "00": "b"}},
    "pre_crop_pct.json": {"do_resize": True, "size": {"shortest_edge": 384}, "crop_pct": 0.875, "resample": 3,
                          "image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225]},
    "pre_legacy_int.json": {"do_resize": True, "size": 224, "do_center_crop": True, "crop_size": 224,
                            "image_processor_type": "CLIPImageProcessor"},
    "pre_huge_size.json": {"do_resize": True, "size": {"height": 65536, "width": 65536}, "rescale_factor": 1e-300},
}


def main():
    os.makedirs(OUT, exist_ok=True)
    styles = json.load(open(os.path.join(ROOT, "tests/fixtures/hf_preprocess/checksums.json")))["styles"]
    for name, cfg in styles.items():
        with open(os.path.join(OUT, f"hf_{name}.json"), "w") as f:
            f.write(json.dumps(cfg.get("config", cfg)))
    for path in sorted(glob.glob(os.path.join(ROOT, "..", "shared", "models", "*", "*config.json"))):
        model = os.path.basename(os.path.dirname(path))
        with open(path) as src, open(os.path.join(OUT, f"shared_{model}_{os.path.basename(path)}"), "w") as f:
            f.write(src.read())
    for name, cfg in HOSTILE.items():
        with open(os.path.join(OUT, name), "w") as f:
            f.write(json.dumps(cfg))


if __name__ == "__main__":
    main()
