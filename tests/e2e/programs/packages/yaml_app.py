"""Reads a YAML document with PyYAML. Usage: yaml_app.py safe|unsafe FILE.
safe: yaml.safe_load, the normal use. unsafe: yaml.unsafe_load, what a
careless application (or an old yaml.load default) does with a document it
should not trust. Prints what it read and whether libyaml (PyYAML's C
extension) was loaded."""
import sys

import yaml

mode, path = sys.argv[1], sys.argv[2]
with open(path) as f:
    text = f.read()
if mode == "safe":
    data = yaml.safe_load(text)
else:
    data = yaml.unsafe_load(text)
print(f"libyaml: {yaml.__with_libyaml__}")
print(f"loaded: {data!r}")
