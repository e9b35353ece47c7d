"""Expands deploy/template.yaml with the SAM translator, offline, into the plain CloudFormation
that `sam deploy` would submit, so cfn-lint also checks what SAM generates (the functions'
roles and their IAM actions, permissions, the HTTP API's stage).

    python deploy/sam_transform.py deploy/template.yaml OUT.json

Local CodeUri folders become placeholder S3 locations, as `sam package` would make them.
"""

import json
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    """The template names no managed policy; SAM's own basic execution role needs no lookup."""

    def load(self):
        return {}


def main(source: str, target: str) -> None:
    with open(source, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    for name, resource in template.get("Resources", {}).items():
        props = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(props.get("CodeUri"), str):
            props["CodeUri"] = f"s3://sam-artifacts-placeholder/{name}.zip"
    output = transform(template, {}, NoManagedPolicies())
    with open(target, "w", encoding="utf-8") as f:
        json.dump(output, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
