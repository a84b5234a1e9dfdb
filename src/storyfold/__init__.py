"""storyfold: fold overlapping news articles, in any language, into reconciled stories."""

__version__ = "0.1.0"
