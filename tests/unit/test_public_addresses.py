"""Which addresses a webhook may reach, and how a receiver's url is read (no network)."""
import ipaddress

import pytest

from factcheck.services.webhooks.targets import Refused, is_public, target

NOT_PUBLIC = [
    "127.0.0.1", "127.255.255.254", "::1",                      # loopback
    "10.1.2.3", "172.31.0.1", "192.168.0.1", "fc00::1", "fd12::1",  # private
    "100.64.0.1",                                               # shared address space (carrier NAT)
    "169.254.169.254", "fe80::1",                               # link-local (cloud metadata)
    "224.0.0.1", "239.255.255.250", "ff02::1", "ff0e::1",       # multicast
    "240.0.0.1", "255.255.255.255",                             # reserved, broadcast
    "0.0.0.0", "::",                                            # unspecified
    "192.0.2.1", "198.51.100.1", "203.0.113.1", "2001:db8::1",  # documentation
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",  # IPv4-mapped
    "2002:7f00:1::", "2002:a00:1::",                            # 6to4 of loopback, of private
    "2001:0:4136:e378:8000:63bf:80ff:fffe",                     # Teredo of 127.0.0.1
    "64:ff9b::7f00:1",                                          # NAT64 of loopback
]
PUBLIC = ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "2a00:1450:4001::1", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_not_public(address):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public(address):
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("url, expected", [
    ("http://2130706433/", "127.0.0.1"),
    ("http://0x7f.1/", "127.0.0.1"),
    ("http://0177.0.0.1/", "127.0.0.1"),
    ("http://127.1/", "127.0.0.1"),
    ("http://[::ffff:7f00:1]/", "::ffff:7f00:1"),
])
def test_numeric_forms_are_read_as_the_system_reads_them(url, expected):
    with pytest.raises(Refused, match="not a public address"):
        target(url)
    assert [str(ip) for ip in target(url, allow_private=True).addresses] == [expected]


def test_a_target_keeps_the_host_port_and_path():
    found = target("https://[2606:4700::1111]:8443/in?desk=a#ignored")
    assert (found.scheme, found.host, found.port, found.path) == ("https", "2606:4700::1111", 8443, "/in?desk=a")
    assert target("http://93.184.215.14").path == "/" and target("http://93.184.215.14").port == 80


@pytest.mark.parametrize("url", ["ftp://93.184.215.14/", "http:///path", "http://93.184.215.14:99999/"])
def test_urls_that_name_no_receiver_are_refused(url):
    with pytest.raises(Refused):
        target(url)
