"""Limits on uploads that act before Django has stored anything."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitedUploadHandler(FileUploadHandler):
    """Stops an upload as soon as it is larger than EGOV_MAX_UPLOAD_BYTES (or claims to be):
    a 1 GB request is cut off, not written to a temporary file first."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Raising here would escape Django's parser; the first chunk stops it instead.
        self.too_big = bool(content_length and content_length > settings.EGOV_MAX_UPLOAD_BYTES)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received = getattr(self, "received", 0) + len(raw_data)
        if getattr(self, "too_big", False) or self.received > settings.EGOV_MAX_UPLOAD_BYTES:
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
