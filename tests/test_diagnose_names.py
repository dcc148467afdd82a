"""Host name matching as mozilla::pkix does it (pkixnames.cpp), on
certificates made here."""

import pytest

from diagnose_support import ec_key, make_cert
from kb.diagnose.certs import Cert
from kb.diagnose.names import covers, reference_host, valid_presented_dns_id


def cert(*names, ips=()):
    return Cert(make_cert(names[0] if names else "x", ec_key(), names=names, ips=ips))


@pytest.mark.parametrize("presented, host, matches", [
    ("example.com", "example.com", True),
    ("Example.COM", "example.com", True),
    ("example.com", "example.com.", True),           # an absolute name in the address bar
    ("*.example.com", "www.example.com", True),
    ("*.example.com", "a.b.example.com", False),     # one label only
    ("*.example.com", "example.com", False),         # not the bare name
    ("*.com", "example.com", False),                 # at least two labels after the wildcard
    ("f*.example.com", "foo.example.com", False),    # only whole-label wildcards
    ("www.*.example.com", "www.a.example.com", False),
    ("*.xn--caf-dma.example", "a.xn--caf-dma.example", True),
    ("under_score.example.com", "under_score.example.com", True),
    ("example.com.", "example.com", False),          # presented names may not be absolute
])
def test_dns_names(presented, host, matches):
    assert covers(cert(presented), reference_host(host)) is matches


def test_ip_addresses_match_ip_entries_only():
    assert covers(cert("example.com", ips=("192.0.2.7",)), reference_host("192.0.2.7"))
    assert not covers(cert("192.0.2.7"), reference_host("192.0.2.7"))
    assert covers(cert("example.com", ips=("2001:db8::1",)), reference_host("[2001:DB8:0::1]"))


def test_the_common_name_is_never_used():
    # A certificate without a SAN, whose CN is the host: Firefox rejects it.
    assert not covers(Cert(make_cert("example.com", ec_key(), names=())), "example.com")


def test_international_names_compare_in_punycode():
    assert reference_host("café.example") == "xn--caf-dma.example"
    assert covers(cert("xn--caf-dma.example"), reference_host("CAFÉ.example"))


@pytest.mark.parametrize("name, valid", [("*.a.b", True), ("*.b", False), ("a..b", False), ("-a.b", False),
                                         ("a.123", False), ("a" * 64 + ".com", False)])
def test_presented_name_syntax(name, valid):
    assert valid_presented_dns_id(name) is valid
