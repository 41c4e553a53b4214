#!/bin/sh
# Writes deploy/booth/requirements.lock: every Python package of the booth pinned with the
# hashes of all its files on PyPI (every platform), so that every booth of a fleet installs
# the same versions and pip refuses a file that differs. deploy/booth/install.sh installs
# from it. Run it (pip-tools, in the dev extra) after changing the booth's dependencies in
# pyproject.toml or deploy/booth/requirements-lock.in, and commit the result.
set -eu
cd "$(dirname "$0")/../.."
pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra booth \
    --no-emit-index-url --no-emit-find-links \
    --output-file deploy/booth/requirements.lock \
    pyproject.toml deploy/booth/requirements-lock.in
