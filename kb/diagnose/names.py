"""Does a certificate cover a host name? mozilla::pkix's rules
(``pkixnames.cpp``, ``CheckCertHostname``), as Firefox applies them:

- an IP address in the address bar matches only iPAddress entries of the
  subject alternative names; a DNS name matches only dNSName entries;
- the subject's common name is never consulted (Firefox's name-matching
  policy never falls back to it);
- a wildcard is a whole leftmost label ``*`` followed by at least two more
  labels (``*.example.com``, not ``*.com`` nor ``f*.example.com``) and
  stands for exactly one non-empty label;
- comparison ignores ASCII case; a trailing dot in the address is allowed.
"""

from __future__ import annotations

import ipaddress
import re

_LABEL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")


def reference_host(host: str) -> str:
    """The host as Firefox compares it: IP literals as they are, names in
    their ASCII (punycode) form, lower case."""
    host = host.strip().strip("[]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return host.lower()


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def valid_presented_dns_id(name: str) -> bool:
    """pkixnames' IsValidDNSID for a presented (certificate) name."""
    if len(name) > 253 or name.endswith("."):
        return False
    labels = name.split(".")
    wildcard = labels[0] == "*"
    if wildcard:
        labels = labels[1:]
        if len(labels) < 2:  # at least two labels must follow the wildcard
            return False
    if not labels or not all(_LABEL.match(label) for label in labels):
        return False
    return not labels[-1].isdigit()  # the last label must not be all digits


def dns_name_matches(presented: str, reference: str) -> bool:
    reference = reference.rstrip(".").lower()
    presented = presented.lower()
    if not valid_presented_dns_id(presented):
        return False
    if presented.startswith("*."):
        first, _, rest = reference.partition(".")
        return bool(first) and rest == presented[2:]
    return presented == reference


def covers(cert, host: str) -> bool:
    """True when the certificate's SAN covers ``host`` (already passed
    through :func:`reference_host`)."""
    from cryptography import x509
    from cryptography.x509.oid import ExtensionOID

    san = cert.extension(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    if san is None:
        return False
    if is_ip(host):
        wanted = ipaddress.ip_address(host)
        return any(ip == wanted for ip in san.get_values_for_type(x509.IPAddress))
    return any(dns_name_matches(name, host) for name in san.get_values_for_type(x509.DNSName))


def why_not(cert, host: str) -> str:
    """One sentence on why the names do not cover ``host``, for the report."""
    names = cert.names
    if not names:
        return ("The certificate lists no names (no subject alternative name); "
                "Firefox does not use the subject's common name.")
    listed = ", ".join(names)
    hints = []
    if is_ip(host):
        hints.append("an IP address matches only an IP address entry")
    for name in names:
        if name.startswith("*.") and host.endswith(name[1:]) and host.count(".") > name.count("."):
            hints.append(f"{name} covers one level only, not {host}")
        elif name.startswith("*.") and host == name[2:]:
            hints.append(f"{name} does not cover the bare name {host}")
        elif "*" in name and not valid_presented_dns_id(name):
            hints.append(f"{name} is not a wildcard Firefox accepts")
    hint = f" ({'; '.join(hints)})" if hints else ""
    return f"The certificate covers {listed}, not {host}{hint}."
