"""The pieces of ``minitorch.nn.functional``, one file per topic (the namespace is ``nn/functional.py``)."""
