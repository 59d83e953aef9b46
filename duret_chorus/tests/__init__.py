from . import test_chorus_client
