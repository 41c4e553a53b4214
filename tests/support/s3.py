"""moto's S3 server mode as a stand-in bucket (for MinIO, Ceph or a cloud's S3)."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import boto3
import httpx
from moto.server import ThreadedMotoServer

from tests.support.broker import free_port

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": "eu-north-1",
}


@contextmanager
def moto_s3(bucket: str) -> Iterator[str]:
    """A real HTTP S3 endpoint with an empty `bucket`; the endpoint URL. Set CREDENTIALS in
    the environment of whatever talks to it."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        # moto keeps its buckets per process, not per server: start empty.
        httpx.post(f"{endpoint}/moto-api/reset", timeout=10).raise_for_status()
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="eu-north-1",
        ).create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
        )
        yield endpoint
    finally:
        server.stop()
