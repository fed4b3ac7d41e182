"""trialwh: a data warehouse for evaluating the North Jutland frikommune trial."""

__version__ = "0.1.0"
