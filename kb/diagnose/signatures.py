"""Does a key verify a signature? One place for the RSA/ECDSA/EdDSA cases,
used for certificates and for stapled OCSP responses."""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa


def signed_by(public_key, signature: bytes, data: bytes, digest, params=None) -> bool:
    """True when ``public_key`` made ``signature`` over ``data``. ``params``
    is what ``cryptography`` reports for a certificate's signature
    (PKCS1v15, PSS or ECDSA); anything else means PKCS#1 v1.5 / ECDSA with
    ``digest``. Keys or algorithms that cannot be checked count as False."""
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            pad = params if isinstance(params, (padding.PKCS1v15, padding.PSS)) else padding.PKCS1v15()
            public_key.verify(signature, data, pad, digest)
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(digest))
        elif isinstance(public_key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            public_key.verify(signature, data)
        else:
            return False
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return True


def cert_signed_by(cert, issuer) -> bool:
    """``cert`` (a kb Cert) carries a valid signature by ``issuer``'s key."""
    x = cert.x509
    try:
        digest = x.signature_hash_algorithm
        params = x.signature_algorithm_parameters
    except UnsupportedAlgorithm:
        return False
    return signed_by(issuer.x509.public_key(), x.signature, x.tbs_certificate_bytes, digest, params)
