"""Accounting labels and tags: ``companies/{company_id}/labels``, ``standard_labels``, ``tags``."""

from __future__ import annotations

from typing import TypeVar

from .. import _constants as C
from .._pagination import RangePager
from .._request import APIRequest, Operation
from .._resource import (
    APIResource,
    AsyncAPIResource,
    AsyncRawAPIResource,
    SyncAPIResource,
    SyncRawAPIResource,
    endpoint,
    view,
)
from .._validation import check_limit
from ..types import Label, Tag

__all__ = ["AsyncLabels", "Labels"]

# Module-level names, since the `list` method shadows the builtin inside the class.
LabelList = list[Label]
TagList = list[Tag]
T = TypeVar("T")


class _LabelsCalls(APIResource):
    """The labels calls, written once for the sync, async and raw variants."""

    @staticmethod
    def _all(
        path: str,
        into: type[list[T]],
        *,
        accept: str = C.JSON,
        params: dict[str, str] | None = None,
        limit: int | None = None,
    ) -> RangePager[T]:
        """Every item of ``path``: ``Range: items=0-*``, a 206 followed by the next range."""

        def request(range_header: str) -> APIRequest[list[T]]:
            headers = {"Accept": accept, "Range": range_header}
            return APIRequest.get(path, into, params=params, headers=headers)

        return RangePager(request, limit=check_limit(limit))

    @endpoint
    def list(self, *, limit: int | None = None) -> Operation[LabelList]:
        """The company's own labels: ``GET companies/{cid}/labels``.

        Sent with ``Accept: application/vnd.tiime.labels.v2+json`` and ``Range: items=0-*``;
        a partial answer (206) is followed to the end (``limit`` bounds it). Returns
        ``list[Label]``.
        """
        return self._all(self._company_path("labels"), LabelList, accept=C.LABELS_V2, limit=limit)

    @endpoint
    def standard(self, *, limit: int | None = None) -> Operation[LabelList]:
        """Tiime's standard labels: ``GET companies/{cid}/standard_labels``.

        Sent with ``Range: items=0-*``, every page followed (``limit`` bounds them).
        Returns ``list[Label]``.
        """
        return self._all(self._company_path("standard_labels"), LabelList, limit=limit)

    @endpoint
    def tags(self, *, limit: int | None = None) -> Operation[TagList]:
        """The company's tags with their detail: ``GET companies/{cid}/tags?expand=tag_detail``.

        Sent with ``Range: items=0-*``, every page followed (``limit`` bounds them).
        Returns ``list[Tag]`` (``tag_detail`` filled in).
        """
        params = {"expand": "tag_detail"}
        return self._all(self._company_path("tags"), TagList, params=params, limit=limit)


class LabelsWithRawResponse(_LabelsCalls, SyncRawAPIResource):
    """``client.labels.with_raw_response``."""


class AsyncLabelsWithRawResponse(_LabelsCalls, AsyncRawAPIResource):
    """``client.labels.with_raw_response`` of the async client."""


class Labels(_LabelsCalls, SyncAPIResource):
    """``client.labels`` of :class:`~tiime.TiimeClient`."""

    with_raw_response = view(LabelsWithRawResponse)


class AsyncLabels(_LabelsCalls, AsyncAPIResource):
    """``client.labels`` of :class:`~tiime.AsyncTiimeClient`: the same calls, awaited."""

    with_raw_response = view(AsyncLabelsWithRawResponse)
