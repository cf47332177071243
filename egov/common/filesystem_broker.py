"""The embedded default's broker: kombu's filesystem transport, with every message written whole.

Kombu's filesystem transport creates a message's file and then writes it; the worker, polling
the folder, may take the file in between and read nothing: the worker stops on the empty
message (seen at a 0.1 s poll on the first dossier accepted). Here a message is written
under a name the worker does not look at and renamed into place once complete; a rename
within a folder is atomic. Used when ``CELERY_BROKER_URL`` is ``filesystem://`` (settings).
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        # The name kombu gives, so that the worker orders and matches messages as it does.
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # Not "<…>.<queue>.msg": the worker skips it while it is being written.
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
