"""The one version number of toolkit.

hatch reads it for the wheel (``[tool.hatch.version]`` in ``pyproject.toml``); ``toolkit --version``
prints it; the pipeline mixes it into each input's fingerprint, so a new version renders every
workbook again. This module imports nothing, so any module may import it.
"""

__version__ = "0.1.0"
