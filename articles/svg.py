"""An uploaded SVG logo: accepted when it is a drawing and nothing more.

It is parsed with defusedxml (no DTD, no entity, nothing read from outside),
and every element and attribute must be on an allow-list of what drawings are
made of; links point inside the drawing, and styles call no function that
fetches (no url() at all), escape nothing and hold no at-rule. What is left can
show a picture and neither run nor fetch anything, opened by itself or in an
<img>.
"""

import re
import xml.etree.ElementTree as ElementTree
from pathlib import PurePosixPath

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

# An SVG logo: small, and drawn by itself (no script, no handler, no outside file).
SVG_MAX_BYTES = 512 * 1024
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
# What a drawing is made of: shapes, text, paint servers, clipping, masking and
# filters. Everything else is refused: scripts, links, animations (which can set
# an href to javascript:), foreignObject and other vocabularies (XHTML's <img>),
# feImage (which fetches).
SVG_ELEMENTS = frozenset(
    """svg g defs symbol use title desc metadata switch style
    path rect circle ellipse line polyline polygon text tspan textPath image
    linearGradient radialGradient stop pattern clipPath mask marker
    filter feBlend feColorMatrix feComponentTransfer feFuncR feFuncG feFuncB feFuncA
    feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap feDistantLight
    feDropShadow feFlood feGaussianBlur feMerge feMergeNode feMorphology feOffset
    fePointLight feSpecularLighting feSpotLight feTile feTurbulence""".split()
)
# The attributes those elements may carry: geometry, presentation, paint server
# and filter parameters, and labels. No event handler (on…), no attributeName.
SVG_ATTRIBUTES = frozenset(
    """id class style lang tabindex role aria-label aria-hidden aria-labelledby focusable
    version baseProfile viewBox preserveAspectRatio width height x y x1 y1 x2 y2
    cx cy r rx ry fx fy fr d points pathLength transform href
    fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin
    stroke-miterlimit stroke-dasharray stroke-dashoffset stroke-opacity opacity
    color display visibility overflow clip clip-path clip-rule mask filter
    marker-start marker-mid marker-end paint-order vector-effect mix-blend-mode isolation
    shape-rendering text-rendering image-rendering color-interpolation
    color-interpolation-filters color-rendering enable-background data-name
    font-family font-size font-size-adjust font-stretch font-style font-variant font-weight
    font text-anchor text-decoration dominant-baseline alignment-baseline baseline-shift
    letter-spacing word-spacing writing-mode direction unicode-bidi
    dx dy rotate textLength lengthAdjust startOffset method spacing side
    offset stop-color stop-opacity gradientUnits gradientTransform spreadMethod
    patternUnits patternContentUnits patternTransform clipPathUnits maskUnits
    maskContentUnits markerUnits markerWidth markerHeight orient refX refY
    filterUnits primitiveUnits in in2 result mode operator k1 k2 k3 k4 values type
    tableValues slope intercept amplitude exponent flood-color flood-opacity
    lighting-color stdDeviation edgeMode baseFrequency numOctaves seed stitchTiles
    radius scale xChannelSelector yChannelSelector kernelMatrix kernelUnitLength order
    divisor bias targetX targetY preserveAlpha surfaceScale diffuseConstant
    specularConstant specularExponent azimuth elevation pointsAtX pointsAtY pointsAtZ
    limitingConeAngle requiredExtensions systemLanguage""".split()
)
# Presentation attributes that may name a paint server, clip path, mask, filter
# or marker of the drawing itself: url(#id), maybe with a fallback colour.
SVG_REFERENCES = frozenset(
    "fill stroke clip-path mask filter marker-start marker-mid marker-end".split()
)
SVG_LOCAL_REFERENCE = re.compile(
    r"url\(\s*(['\"]?)#[\w.:-]+\1\s*\)"
    r"(?:\s+(?:#[0-9a-f]{3,8}|[a-z]+|(?:rgba?|hsla?)\([\d\s.,%]*\)))?",
    re.IGNORECASE,
)
# Attributes that hold names and labels, which no browser reads as CSS.
SVG_LABELS = frozenset(
    "id class lang role aria-label aria-labelledby data-name systemLanguage".split()
)
# The functions a style or an attribute may call: colours and transforms. Not
# url(), image-set(), image(), element(), cross-fade(), paint(), expression()…,
# which fetch or run something.
# A function is a name followed at once by "(" (a comment in between makes it
# none), which is also how "url(" is read.
CSS_FUNCTION = re.compile(r"([\w-]+)\(")
CSS_FUNCTIONS = frozenset(
    """rgb rgba hsl hsla hwb lab lch oklab oklch color calc min max clamp
    matrix translate translatex translatey scale scalex scaley rotate skewx skewy""".split()
)
# What an href may point at: a part of the drawing, or (an <image> only) a
# picture it holds itself.
SVG_FRAGMENT = re.compile(r"#[\w.:-]+")
SVG_EMBEDDED_PICTURE = re.compile(r"data:image/(?:png|jpeg|webp);base64,[A-Za-z0-9+/=\s]*")


class CheckedSvgField(forms.FileField):
    """An SVG upload accepted when it is a drawing and nothing more: no script, event
    handler, DOCTYPE or reference to another file (`check_svg`)."""

    default_error_messages = {
        "svg": _("Upload an SVG image. This file is not one, whatever its name says."),
        "unsafe": _(
            "This SVG holds a script, an event handler or a link to another file. "
            "Export it again as a plain drawing."
        ),
        "too_many_bytes": _("This file is over %(kilobytes)d KB. Upload a smaller SVG."),
    }

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", "image/svg+xml")
        return attrs

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        if upload.size > SVG_MAX_BYTES:
            raise forms.ValidationError(
                self.error_messages["too_many_bytes"],
                code="too_many_bytes",
                params={"kilobytes": SVG_MAX_BYTES // 1024},
            )
        upload.seek(0)
        content = upload.read()
        try:
            check_svg(content)
        except InvalidSvg as error:
            raise forms.ValidationError(self.error_messages[error.code], code=error.code) from error
        stem = PurePosixPath(upload.name).stem or "logo"
        return SimpleUploadedFile(f"{stem}.svg", content, content_type="image/svg+xml")


def check_svg(content):
    """Raise InvalidSvg("svg") unless `content` (bytes) is an SVG document, and
    InvalidSvg("unsafe") unless it is a drawing and nothing more: its elements
    and attributes on the allow-lists above, its links inside itself, its styles
    calling no url() and no function that fetches, escaping nothing."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidSvg("svg") from error
    # defusedxml refuses a DTD, so no entity can expand (the "billion laughs")
    # and nothing outside is read.
    tree = DrawingTree()
    parser = DefusedXMLParser(
        target=tree, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    try:
        parser.feed(text)
        root = parser.close()
    except DefusedXmlException as error:
        raise InvalidSvg("unsafe") from error
    except ElementTree.ParseError as error:
        raise InvalidSvg("svg") from error
    if tree.has_instructions:
        raise InvalidSvg("unsafe")
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise InvalidSvg("svg")
    for element in root.iter():
        check_svg_element(element)


class DrawingTree(ElementTree.TreeBuilder):
    """The parsed tree, noting any processing instruction, wherever it stands (a
    style sheet from elsewhere, <?xml-stylesheet?>, usually before the root)."""

    has_instructions = False

    def pi(self, target, text=None):
        self.has_instructions = True
        return super().pi(target, text)


def check_svg_element(element):
    """Raise InvalidSvg("unsafe") unless `element` is one a drawing is made of, with
    attributes and a style that fetch nothing."""
    namespace, _, name = element.tag.rpartition("}")
    if namespace != f"{{{SVG_NAMESPACE}" or name not in SVG_ELEMENTS:
        raise InvalidSvg("unsafe")
    if name == "style":
        check_css(element.text or "")
    for qualified, value in element.attrib.items():
        attribute_namespace, _, attribute = qualified.rpartition("}")
        if attribute_namespace == f"{{{XLINK_NAMESPACE}" and attribute == "href":
            pass
        elif attribute_namespace == f"{{{XML_NAMESPACE}" and attribute in ("space", "lang"):
            continue
        elif attribute_namespace or attribute not in SVG_ATTRIBUTES:
            raise InvalidSvg("unsafe")
        if attribute == "href":
            inside = SVG_FRAGMENT.fullmatch(value.strip()) or (
                name == "image" and SVG_EMBEDDED_PICTURE.fullmatch(value.strip())
            )
            if not inside:
                raise InvalidSvg("unsafe")
        elif attribute in SVG_REFERENCES and SVG_LOCAL_REFERENCE.fullmatch(value.strip()):
            continue
        elif attribute not in SVG_LABELS:
            # Presentation attributes are read as CSS values, escapes included.
            check_css(value)


def check_css(text):
    """Raise InvalidSvg("unsafe") if `text` (a style sheet, a style attribute or
    a presentation attribute) could fetch or run anything: an escape (which can
    spell "url(" or "@import" otherwise), an at-rule, or a function other than
    colours and transforms (no url() at all)."""
    if "\\" in text or "@" in text or "<" in text:
        raise InvalidSvg("unsafe")
    for function in CSS_FUNCTION.findall(text):
        if function.lower() not in CSS_FUNCTIONS:
            raise InvalidSvg("unsafe")


class InvalidSvg(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code
