"""Writing an output file safely: to a temporary name beside the target, renamed when complete,
so a failed export leaves no half-written file and the old file stays intact."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from db.errors import QadamError
from db.i18n import _


class ExportError(QadamError):
    pass


def write_atomically(target: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(temporary_path)`, then move the result over `target`."""
    target = Path(target)
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(_("The folder {folder} does not exist.").format(folder=folder))
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix,
                                             dir=folder)
    except PermissionError:
        raise ExportError(_("Qadam may not write into the folder {folder}. Choose another "
                            "folder.").format(folder=folder)) from None
    except OSError as exc:
        raise ExportError(_("Cannot write into {folder}: {reason}").format(
            folder=folder, reason=exc.strerror or exc)) from None
    os.close(handle)
    temporary_path = Path(temporary)
    try:
        write(temporary_path)
        os.replace(temporary_path, target)
    except PermissionError:
        temporary_path.unlink(missing_ok=True)
        raise ExportError(_("{file} is open in another program or may not be changed. Close "
                            "it and try again; the old file was left as it was.").format(
            file=target.name)) from None
    except OSError as exc:
        temporary_path.unlink(missing_ok=True)
        raise ExportError(_("The file {file} could not be written: {reason}").format(
            file=target.name, reason=exc.strerror or exc)) from None
    except BaseException:
        temporary_path.unlink(missing_ok=True)
        raise
    return target
