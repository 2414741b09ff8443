"""Validates YAML files against the JSON Schema; prints one line per file: OK or the first error.

usage: schema_check.py SCHEMA.json FILE.yaml...
"""
import datetime, json, sys
import jsonschema, yaml

def plain(v):
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    return v

schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
for path in sys.argv[2:]:
    try:
        doc = plain(yaml.safe_load(open(path, encoding="utf-8")))
    except Exception as e:
        print(json.dumps({"file": path, "ok": False, "error": "yaml: " + str(e).splitlines()[0]}, ensure_ascii=False))
        continue
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    print(json.dumps({"file": path, "ok": not errors, "error": errors[0].message[:200] if errors else None}, ensure_ascii=False))
