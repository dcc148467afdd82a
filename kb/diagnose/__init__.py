"""``kb diagnose``: from a server (or a PEM chain) to the code Firefox
would show, with the evidence and who can fix it.

    connect   the handshake Firefox would make, and what the server sent
    certs     certificates and trust stores
    checks    one certificate's own checks, in mozilla::pkix's order
    names     does the certificate cover the host name
    ocsp      the stapled revocation status
    verify    path building and Firefox's order of errors
    diagnosis the whole run, as data (Diagnosis)
    report    the Diagnosis for a person, or as JSON
    help      the knowledge base's tailored page for the code
"""

from kb.diagnose.diagnosis import Diagnosis, Options, diagnose_host, diagnose_pem

__all__ = ["Diagnosis", "Options", "diagnose_host", "diagnose_pem"]
