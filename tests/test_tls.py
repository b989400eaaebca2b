"""The Temporal connection over TLS, for real: the product's client (``runtime.resources.Runtime`` with the
``MINECASE_TEMPORAL_TLS_*`` settings) through a TLS-terminating proxy in front of the session's dev server.

The dev server (Temporal CLI 1.9, server 1.32) has no TLS flags of its own, so a small asyncio proxy here speaks
TLS to the client (gRPC's HTTP/2 by ALPN ``h2``), asks for a client certificate (mutual TLS) and forwards the bytes
to the dev server's plain port. The certificates are made for the test with ``cryptography``: a throwaway CA, a
server certificate for ``temporal.minecase.test`` (the client reaches the proxy at 127.0.0.1 and names the server
with ``MINECASE_TEMPORAL_TLS_SERVER_NAME``), and a client certificate. A client that does not trust that CA, or
has no client certificate, is refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from models.policy import load_campaign
from operations import cases
from runtime.resources import Runtime
from runtime.settings import Settings
from tests.conftest import TASK_QUEUE
from tests.drill import OFFICE, mine
from workflows.case_workflow import MineCaseWorkflow, workflow_id_for

SERVER_NAME = "temporal.minecase.test"

pytestmark = pytest.mark.timeout(180)


@dataclass
class Pki:
    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    other_ca: Path  # a CA that signed nothing here


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def _ca(common_name: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(_name(common_name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return cert, key


def _leaf(common_name: str, ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey, *, server: bool
          ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(ca.subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH if server
                                                     else ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False))
    if server:
        builder = builder.add_extension(x509.SubjectAlternativeName(
            [x509.DNSName(SERVER_NAME), x509.IPAddress(ipaddress.ip_address("127.0.0.2"))]), critical=False)
    return builder.sign(ca_key, hashes.SHA256()), key


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    ca, ca_key = _ca("minecase test CA")
    other_ca, _ = _ca("some other CA")
    server, server_key = _leaf(SERVER_NAME, ca, ca_key, server=True)
    client, client_key = _leaf("minecase worker", ca, ca_key, server=False)
    pem = serialization.Encoding.PEM
    files = Pki(ca=folder / "ca.pem", server_cert=folder / "server.pem", server_key=folder / "server.key",
                client_cert=folder / "client.pem", client_key=folder / "client.key", other_ca=folder / "other-ca.pem")
    files.ca.write_bytes(ca.public_bytes(pem))
    files.other_ca.write_bytes(other_ca.public_bytes(pem))
    files.server_cert.write_bytes(server.public_bytes(pem))
    files.client_cert.write_bytes(client.public_bytes(pem))
    _write_key(server_key, files.server_key)
    _write_key(client_key, files.client_key)
    return files


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    with contextlib.suppress(Exception):
        writer.close()


@dataclass
class Proxy:
    address: str
    accepted: list[int]  # one per TLS connection the proxy accepted (a refused handshake never gets here)


@pytest.fixture(scope="module")
async def tls_proxy(server, pki) -> AsyncIterator[Proxy]:
    """TLS 1.2+ with a client certificate required (signed by the test CA), ALPN h2, in front of the dev server."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(pki.ca))
    context.load_cert_chain(pki.server_cert, pki.server_key)
    context.verify_mode = ssl.CERT_REQUIRED
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["h2"])
    upstream_host, upstream_port = server.address.rsplit(":", 1)
    accepted: list[int] = []
    pumps: set[asyncio.Task] = set()

    async def serve(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        accepted.append(1)
        up_reader, up_writer = await asyncio.open_connection(upstream_host, int(upstream_port))
        for task in (asyncio.create_task(_pump(client_reader, up_writer)), asyncio.create_task(_pump(up_reader, client_writer))):
            pumps.add(task)
            task.add_done_callback(pumps.discard)

    listener = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    port = listener.sockets[0].getsockname()[1]
    try:
        yield Proxy(f"127.0.0.1:{port}", accepted)
    finally:
        listener.close()
        for task in list(pumps):
            task.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)


def _settings(engine, proxy: Proxy, **tls) -> Settings:
    return Settings(temporal_address=proxy.address, database_url=engine.url.render_as_string(hide_password=False),
                    task_queue=TASK_QUEUE, **tls)


async def test_the_product_reaches_temporal_over_mutual_tls_with_its_ca_and_client_certificate_and_starts_a_case(
        engine, worker, tls_proxy, pki):
    settings = _settings(engine, tls_proxy, temporal_tls_ca_file=pki.ca, temporal_tls_cert_file=pki.client_cert,
                         temporal_tls_key_file=pki.client_key, temporal_tls_server_name=SERVER_NAME)
    policy = load_campaign("shanggao-2023").resolve(dt.date(2030, 1, 1))
    before = len(tls_proxy.accepted)
    async with Runtime(settings, start_server=False) as runtime:
        assert runtime.client is not None and runtime.engine is not None
        facts = mine()
        await cases.register_case(runtime.client, runtime.engine, TASK_QUEUE, facts, policy, OFFICE)
        await cases.wait_settled(runtime.client, workflow_id_for(facts.permit_no))
        view = await runtime.client.get_workflow_handle(workflow_id_for(facts.permit_no)).query(MineCaseWorkflow.status)
    assert view.permit_no == facts.permit_no and view.stage == "registered"
    assert len(tls_proxy.accepted) > before  # it went through the proxy, over TLS


async def _refused(settings: Settings, proxy: Proxy) -> str:
    """Connecting fails, and the proxy accepted no connection (the handshake was refused)."""
    before = len(proxy.accepted)
    with pytest.raises(RuntimeError) as refused:
        async with Runtime(settings, start_server=False):
            pass
    assert len(proxy.accepted) == before
    return str(refused.value)


async def test_a_client_that_does_not_trust_the_servers_ca_is_refused(engine, tls_proxy, pki):
    settings = _settings(engine, tls_proxy, temporal_tls_ca_file=pki.other_ca, temporal_tls_cert_file=pki.client_cert,
                         temporal_tls_key_file=pki.client_key, temporal_tls_server_name=SERVER_NAME)
    error = await asyncio.wait_for(_refused(settings, tls_proxy), 60)
    assert "UnknownIssuer" in error  # the client refused the server's certificate


async def test_a_client_that_names_another_server_than_the_certificates_is_refused(engine, tls_proxy, pki):
    settings = _settings(engine, tls_proxy, temporal_tls_ca_file=pki.ca, temporal_tls_cert_file=pki.client_cert,
                         temporal_tls_key_file=pki.client_key, temporal_tls_server_name="elsewhere.minecase.test")
    error = await asyncio.wait_for(_refused(settings, tls_proxy), 60)
    assert "NotValidForName" in error and "elsewhere.minecase.test" in error


async def test_a_client_without_a_certificate_is_refused_by_a_server_that_asks_for_one(engine, tls_proxy, pki):
    settings = _settings(engine, tls_proxy, temporal_tls_ca_file=pki.ca, temporal_tls_server_name=SERVER_NAME)
    error = await asyncio.wait_for(_refused(settings, tls_proxy), 60)
    assert "transport error" in error  # the server ended the handshake: no connection was ever accepted
