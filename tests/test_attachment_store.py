"""The attachment stores (issue 14): the filesystem store under the data dir, and an S3-compatible bucket (a real
local S3 server, moto's, over HTTP). Both address bytes by their SHA-256 and never hand back damaged bytes."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest

from operations.attachments import FileStore, open_store
from runtime.temporal import free_port
from tests.evidence_files import pdf, png


def test_the_file_store_writes_ab_slash_the_rest_with_mode_0600_and_refuses_damaged_bytes(tmp_path):
    store = open_store(tmp_path)
    assert isinstance(store, FileStore) and store.root == tmp_path / "attachments"
    data = pdf("store")
    sha = hashlib.sha256(data).hexdigest()
    store.put(sha, data)
    store.put(sha, data)  # idempotent
    path = tmp_path / "attachments" / sha[:2] / sha[2:]
    assert path.read_bytes() == data and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert store.get(sha) == data and store.has(sha)
    path.write_bytes(data + b"tampered")
    assert store.get(sha) is None
    assert open_store(tmp_path, f"file://{tmp_path / 'elsewhere'}").root == tmp_path / "elsewhere"


@pytest.fixture
def s3_server(monkeypatch):
    server_module = pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    port = free_port()
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    for key, value in {"AWS_ACCESS_KEY_ID": "minecase-test", "AWS_SECRET_ACCESS_KEY": "minecase-test",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket="evidence")
    yield endpoint
    server.stop()


def test_an_s3_compatible_store_keeps_the_bytes_under_their_hash(s3_server):
    store = open_store("unused", f"s3://evidence/minecase?endpoint_url={s3_server}&region=us-east-1")
    data = png()
    sha = hashlib.sha256(data).hexdigest()
    assert not store.has(sha) and store.get(sha) is None
    store.put(sha, data)
    assert store.has(sha) and store.get(sha) == data
    import boto3

    keys = [o["Key"] for o in boto3.client("s3", endpoint_url=s3_server).list_objects_v2(Bucket="evidence")["Contents"]]
    assert keys == [f"minecase/{sha[:2]}/{sha[2:]}"]
    assert "minecase-test" not in os.environ.get("MINECASE_ATTACHMENTS_URL", "")
