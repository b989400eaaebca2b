"""The connection to a Temporal cluster over TLS with a client certificate (mTLS), from the settings (issue 15 item 1).

The dev server speaks no TLS, so a small TLS-terminating proxy (Python's ``ssl``; ALPN h2, as gRPC asks) stands in
front of the session's dev server, with a CA, a server certificate for ``temporal.test`` and a client certificate made
here with ``cryptography``. The proxy asks for a client certificate signed by that CA, as a cluster with mTLS does."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from api import create_app
from models.policy import load_campaign
from operations import cases
from runtime.resources import Runtime
from runtime.settings import Settings
from starter import OFFICE
from tests.conftest import TASK_QUEUE
from tests.drill import mine

POLICY = load_campaign("shanggao-2023").resolve()
SERVER_NAME = "temporal.test"


def _write_key(key, path: Path) -> Path:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return path


def _cert(subject: str, key, issuer_name: x509.Name, issuer_key, *, ca: bool = False, server: bool = False,
          client: bool = False) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(issuer_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                                      content_commitment=False, key_encipherment=False, data_encipherment=False,
                                                      key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    if server:
        builder = builder.add_extension(x509.SubjectAlternativeName(
            [x509.DNSName(SERVER_NAME), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    if client:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def make_pki(folder: Path) -> dict[str, Path]:
    """A CA, the server's certificate (``temporal.test``, 127.0.0.1) and a client certificate, as PEM files."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "minecase test CA")])
    ca = _cert("minecase test CA", ca_key, ca_name, ca_key, ca=True)
    files = {"ca": folder / "ca.pem"}
    files["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    for name, kind in (("server", {"server": True}), ("client", {"client": True})):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _cert(SERVER_NAME if name == "server" else "minecase worker", key, ca_name, ca_key, **kind)
        files[f"{name}_cert"] = folder / f"{name}.pem"
        files[f"{name}_cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        files[f"{name}_key"] = _write_key(key, folder / f"{name}.key")
    return files


class TLSProxy:
    """Terminates TLS (client certificate required) on a free port and relays the bytes to ``upstream``."""

    def __init__(self, upstream: str, pki: dict[str, Path]):
        self.host, port = upstream.rsplit(":", 1)
        self.upstream_port = int(port)
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(pki["server_cert"], pki["server_key"])
        self.context.load_verify_locations(pki["ca"])
        self.context.verify_mode = ssl.CERT_REQUIRED
        self.context.set_alpn_protocols(["h2"])

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", 0, ssl=self.context)
        return f"127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(self.host, self.upstream_port)
        except OSError:
            writer.close()
            return

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (OSError, ssl.SSLError):
                pass
            finally:
                with contextlib.suppress(OSError, ssl.SSLError, RuntimeError):
                    sink.close()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))

    async def stop(self) -> None:
        self.server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.server.wait_closed(), 2)


@pytest.fixture
async def tls_front(server, tmp_path):
    pki = make_pki(tmp_path)
    proxy = TLSProxy(server.address, pki)
    address = await proxy.start()
    yield address, pki
    await proxy.stop()


def tls_settings(address: str, pki: dict[str, Path], engine, data_dir: Path, **more) -> Settings:
    return Settings(temporal_address=address, temporal_tls_ca_file=pki["ca"], temporal_tls_cert_file=pki["client_cert"],
                    temporal_tls_key_file=pki["client_key"], temporal_tls_server_name=SERVER_NAME,
                    database_url=engine.url.render_as_string(hide_password=False), data_dir=data_dir,
                    task_queue=TASK_QUEUE, **more)


async def test_a_case_starts_through_mutual_tls_with_the_settings_certificates_and_the_desk_is_ready(
        tls_front, engine, worker, tmp_path):
    address, pki = tls_front
    async with Runtime(tls_settings(address, pki, engine, tmp_path), start_server=False) as runtime:
        assert runtime.client is not None
        facts = mine()
        await cases.register_case(runtime.client, engine, TASK_QUEUE, facts, POLICY, OFFICE)
        await cases.wait_settled(runtime.client, f"mine-{facts.permit_no}")
        view = await cases.live_status(runtime.client, facts.permit_no)
        assert view.stage == "registered"
        app = create_app(runtime, secret_key="tls-secret")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://desk.test") as http:
            ready = await http.get("/readyz")
        assert ready.status_code == 200, ready.text


async def test_a_client_without_its_certificate_is_refused_by_a_cluster_that_asks_for_one(tls_front, engine, tmp_path):
    address, pki = tls_front
    settings = tls_settings(address, pki, engine, tmp_path).model_copy(
        update={"temporal_tls_cert_file": None, "temporal_tls_key_file": None})
    with pytest.raises(RuntimeError) as refused:
        async with Runtime(settings, start_server=False):
            pass
    assert "Failed client connect" in str(refused.value)


async def test_a_server_certificate_for_another_name_is_refused(tls_front, engine, tmp_path):
    address, pki = tls_front
    settings = tls_settings(address, pki, engine, tmp_path).model_copy(update={"temporal_tls_server_name": "elsewhere.test"})
    with pytest.raises(RuntimeError) as refused:
        async with Runtime(settings, start_server=False):
            pass
    assert "elsewhere.test" in str(refused.value)  # the certificate names temporal.test
