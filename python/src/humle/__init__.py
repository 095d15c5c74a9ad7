"""Humle's Python SDK: HSFS-style feature groups, feature views, training data and feature vectors, and project
files, against a Humle server's REST API and WebHDFS.

    import humle
    project = humle.login("http://127.0.0.1:8080", api_key, project="demo")
    fs = project.get_feature_store()
    fg = fs.get_feature_group("transactions")
    df = fg.read()
"""

from humle.commit import Commit
from humle.connection import Connection, login
from humle.dataset_api import DatasetApi, FileEntry
from humle.errors import (
    AccessDeniedError,
    AuthenticationError,
    ConflictError,
    HumleError,
    InvalidRequestError,
    NotFoundError,
    ServerConnectionError,
)
from humle.feature import Feature, FeatureGroupRef
from humle.feature_group import FeatureGroup
from humle.feature_store import FeatureStore
from humle.feature_view import FeatureView, ViewFeature
from humle.filter import Condition, Filter, Logic
from humle.project import Project
from humle.query import Join, Query
from humle.statistics import Statistics
from humle.training_dataset import TrainingDataset
from humle.transformation_function import TransformationFunction

__all__ = [
    "AccessDeniedError",
    "AuthenticationError",
    "Commit",
    "Condition",
    "ConflictError",
    "Connection",
    "DatasetApi",
    "Feature",
    "FeatureGroup",
    "FeatureGroupRef",
    "FeatureStore",
    "FeatureView",
    "FileEntry",
    "Filter",
    "HumleError",
    "InvalidRequestError",
    "Join",
    "Logic",
    "NotFoundError",
    "Project",
    "Query",
    "ServerConnectionError",
    "Statistics",
    "TrainingDataset",
    "TransformationFunction",
    "ViewFeature",
    "login",
]
