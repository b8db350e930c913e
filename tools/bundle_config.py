"""What `installer.spec` and the bare-window comparison build share: the modules left out, the
pruning of Qt translations and Babel locale data, the version and the icon.

Imported by the .spec files (PyInstaller runs them with the project's Python); not shipped.
`python tools/bundle_config.py icon OUT_DIR` renders resources/icons/qadam.svg into PNGs and
a multi-size qadam.ico with Qt (offscreen) and Pillow; the spec runs it in a subprocess so the
PyInstaller process never creates a QGuiApplication.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Qt modules Qadam does not use (it imports QtCore, QtGui and QtWidgets only; QtSvg comes in
# as a library, through the SVG image and icon plugins the icons need, not as a module).
QT_EXCLUDES = [
    f"PySide6.{name}" for name in (
        "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
        "QtAxContainer", "QtBluetooth", "QtCharts", "QtConcurrent", "QtDataVisualization",
        "QtDBus", "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer",
        "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth",
        "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets", "QtPositioning",
        "QtPrintSupport", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest",
        "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus",
        "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvgWidgets", "QtTest",
        "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick",
        "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
    )
]
# Python modules nothing in Qadam needs. phonenumbers' geocoder, carrier and time-zone data
# (40 MB of Python) are never imported: Qadam only parses and formats Kazakh numbers.
PYTHON_EXCLUDES = [
    "tkinter", "_tkinter", "PyQt5", "PyQt6", "PySide2",
    "phonenumbers.geocoder", "phonenumbers.geodata", "phonenumbers.carrier",
    "phonenumbers.carrierdata", "phonenumbers.timezone", "phonenumbers.tzdata",
    # test and developer tools pulled in through optional plugins (pydantic.v1's hypothesis
    # plugin, mako's pygments plugin)
    "hypothesis", "pytest", "pypdf", "pygments", "IPython", "matplotlib", "numpy",
    # Pillow is needed (reportlab imports it) but not its AVIF, WebP and Tk/Qt bridges, whose
    # libraries weigh more than Pillow itself; Pillow skips a plugin that fails to import.
    "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin", "PIL._imagingtk",
    "PIL.ImageTk", "PIL.ImageQt",
]
EXCLUDES = QT_EXCLUDES + PYTHON_EXCLUDES

# Shared libraries of the excluded Qt modules that link analysis may still pull in (through a
# plugin, say): dropped after the analysis. Matched against the file name, case-insensitive.
_QT_LIBRARY = re.compile(
    r"qt6(qml|quick|pdf|network|3d|multimedia|webengine|charts|designer|help|sql|test|"
    r"positioning|location|sensors|serial|texttospeech|virtualkeyboard|spatialaudio|"
    r"labs|lottie|shadertools|uitools)", re.IGNORECASE)
# Plugin folders of those modules (and plugins that need them).
_QT_PLUGIN_DIRS = ("qmltooling", "sqldrivers", "tls", "networkinformation", "designer",
                   "printsupport", "multimedia", "position", "sensors", "texttospeech",
                   "webview", "geoservices", "canbus", "sceneparsers", "renderers",
                   "assetimporters", "geometryloaders", "renderplugins", "qmllint",
                   "vectorimageformats")
# Single plugins that need an excluded module (Qt Network): VNC output, TUIO touch over UDP.
_QT_PLUGIN_FILES = ("qvnc", "qtuiotouchplugin")

LANGUAGES = ("ru", "kk", "en")
_QT_TRANSLATION = re.compile(r"^[a-z_]+?_([a-z]{2})(?:_[A-Za-z]+)?\.qm$")


def _parts(dest: str) -> list[str]:
    return dest.replace("\\", "/").split("/")


def keep_data(dest: str) -> bool:
    """Whether a collected data file stays in the bundle (`dest` is its path in the bundle)."""
    parts = _parts(dest)
    name = parts[-1]
    if "translations" in parts[:-1] and name.endswith(".qm"):
        found = _QT_TRANSLATION.match(name)
        return found is None or found.group(1) in LANGUAGES
    if parts[:2] == ["babel", "locale-data"] and name.endswith(".dat"):
        locale = name[: -len(".dat")]
        return locale in ("root", "en") or locale.split("_")[0] in ("ru", "kk")
    return not _in_excluded_plugin_dir(parts)


# Windows: Mesa's software OpenGL (about 20 MB), a fallback for OpenGL and Qt Quick; widgets
# paint without OpenGL.
_OTHER_LIBRARIES = ("opengl32sw.dll",)


def keep_binary(dest: str) -> bool:
    parts = _parts(dest)
    if _QT_LIBRARY.search(parts[-1]) or parts[-1].lower() in _OTHER_LIBRARIES:
        return False
    return not _in_excluded_plugin_dir(parts)


def _in_excluded_plugin_dir(parts: list[str]) -> bool:
    if "plugins" not in parts:
        return False
    index = parts.index("plugins")
    if len(parts) > index + 1 and parts[index + 1] in _QT_PLUGIN_DIRS:
        return True
    return parts[-1].split(".")[0].removeprefix("lib") in _QT_PLUGIN_FILES


def prune(toc: list, keep) -> list:
    """The TOC entries (dest, src, type) that `keep(dest)` accepts."""
    return [entry for entry in toc if keep(entry[0])]


def program_version() -> str:
    """db.__version__, read without importing the package."""
    text = (ROOT / "db" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if not found:
        raise SystemExit("db/__init__.py has no __version__")
    return found.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    numbers = [int(n) for n in re.findall(r"\d+", version)[:4]]
    return tuple(numbers + [0] * (4 - len(numbers)))  # type: ignore[return-value]


def write_version_file(folder: Path, version: str) -> Path:
    """The Windows version resource as PyInstaller's text format (read on Windows only)."""
    numbers = version_tuple(version)
    strings = {
        "CompanyName": "Qadam",
        "FileDescription": "Qadam - registry of anti-drug outreach",
        "FileVersion": version,
        "InternalName": "Qadam",
        "LegalCopyright": "Qadam",
        "OriginalFilename": "Qadam.exe",
        "ProductName": "Qadam",
        "ProductVersion": version,
    }
    table = ",\n          ".join(f"StringStruct({key!r}, {value!r})"
                                 for key, value in strings.items())
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('041904B0', [
          {table}])]),
    VarFileInfo([VarStruct('Translation', [0x0419, 1200])])
  ]
)
"""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "version_info.txt"
    path.write_text(text, encoding="utf-8")
    return path


ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def make_icon(folder: Path) -> Path:
    """qadam.ico (and qadam-256.png) rendered from the SVG, in a subprocess."""
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "icon", str(folder)],
                   check=True, env=env)
    return folder / "qadam.ico"


def _render_icon(folder: Path) -> None:
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (keeps Qt alive)
    renderer = QSvgRenderer(str(ROOT / "resources" / "icons" / "qadam.svg"))
    if not renderer.isValid():
        raise SystemExit("resources/icons/qadam.svg cannot be rendered")
    images = []
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        png = folder / f"qadam-{size}.png"
        image.save(str(png), "PNG")
        images.append(Image.open(png))
    largest = images[-1]
    largest.save(folder / "qadam.ico", format="ICO",
                 sizes=[(s, s) for s in ICON_SIZES], append_images=images[:-1])


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "icon":
        _render_icon(Path(sys.argv[2]))
    else:
        raise SystemExit("usage: bundle_config.py icon OUT_DIR")
