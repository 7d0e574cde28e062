"""astral.csv_stream: OWASP's formula guard on text cells, numbers kept, batches of bytes."""

import pytest

from analytics.csv_columns import pace_seconds
from astral.csv_stream import csv_cell, csv_chunks


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+49 170", "'+49 170"),
        ("-injured", "'-injured"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (-5.5, -5.5),
        (0, 0),
        (True, "true"),
        (False, "false"),
    ],
)
def test_csv_cell(value, cell):
    assert csv_cell(value) == cell


def test_chunks_are_the_header_then_batches_of_rows():
    chunks = list(csv_chunks(("a", "b"), [[1, "x,y"], [2, 'say "hi"'], [3, None]], batch=2))
    assert chunks == [b'a,b\r\n1,"x,y"\r\n2,"say ""hi"""\r\n', b"3,\r\n"]


def test_text_is_utf8():
    assert b"".join(csv_chunks(("name",), [["Zoë"]])) == "name\r\nZoë\r\n".encode()


@pytest.mark.parametrize(("pace", "seconds"), [("4:31", 271), ("12:05", 725), (None, None), ("", None)])
def test_pace_seconds(pace, seconds):
    assert pace_seconds(pace) == seconds
