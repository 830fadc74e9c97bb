"""The host-city map: cities placed by their coordinates on an SVG drawn by the server.

The built-in base is Natural Earth's land (seminars/public/china_outline.py, no borders) in an
equirectangular projection of BOX, its east–west scale shrunk by cos(BOX_MID_LATITUDE) so that
shapes look right around China. Staff may replace it with an approved map image (site settings)
in an equirectangular projection of its own bounding box: the markers are then placed on that
image, linearly in longitude and latitude within its box, by the same coordinates.
"""

import math
from dataclasses import dataclass

# west, south, east, north in degrees: mainland China, Hainan and the north-east, Xinjiang.
BOX = (72.0, 17.0, 136.0, 54.5)
BOX_MID_LATITUDE = 36.0
SCALE = 10.0  # SVG units per degree of latitude
WIDTH = round((BOX[2] - BOX[0]) * math.cos(math.radians(BOX_MID_LATITUDE)) * SCALE, 1)
HEIGHT = round((BOX[3] - BOX[1]) * SCALE, 1)


def project(longitude, latitude):
    """(x, y) of a point in the built-in map's viewBox (0 0 WIDTH HEIGHT)."""
    x = (longitude - BOX[0]) / (BOX[2] - BOX[0]) * WIDTH
    y = (BOX[3] - latitude) / (BOX[3] - BOX[1]) * HEIGHT
    return x, y


@dataclass
class Marker:
    city: object
    seminars: list
    x: float
    y: float
    label_x: float = 0
    label_y: float = 0
    anchor: str = "start"

    @property
    def latest(self):
        return self.seminars[-1]


@dataclass
class HostMap:
    width: float
    height: float
    image_url: str  # empty: the built-in outline
    land_path: str
    markers: list
    unplaced: list  # cities without coordinates (or outside the map): only in the list


def host_map(seminars, site=None):
    """The map of the host cities of `seminars` (published, with their city), in edition order."""
    bounds = site.map_bounds if site is not None else None
    if bounds and site.map_image_width and site.map_image_height:
        width, height = float(site.map_image_width), float(site.map_image_height)
        image_url, land_path = site.map_image.url, ""
        west, south, east, north = bounds

        def place(lon, lat):
            return ((lon - west) / (east - west) * width, (north - lat) / (north - south) * height)

    else:
        from seminars.public.china_outline import LAND_PATH

        width, height, image_url, land_path, place = WIDTH, HEIGHT, "", LAND_PATH, project
    by_city = {}
    for seminar in seminars:
        by_city.setdefault(seminar.city_id, (seminar.city, []))[1].append(seminar)
    markers, unplaced = [], []
    for city, editions in by_city.values():
        if city.latitude is None or city.longitude is None:
            unplaced.append(Marker(city, editions, 0, 0))
            continue
        x, y = place(city.longitude, city.latitude)
        marker = Marker(city, editions, round(x, 1), round(y, 1))
        (markers if 0 <= x <= width and 0 <= y <= height else unplaced).append(marker)
    place_labels(markers, width, height, scale=width / WIDTH)
    return HostMap(width, height, image_url, land_path, markers, unplaced)


FONT_SIZE = 11  # SVG units on the built-in map
RADIUS = 4


def label_chars(marker):
    """Characters in the label: the city's longest name and its editions (第1回・第11回)."""
    names = [marker.city.name_ja or "", marker.city.name_zh_hans or ""]
    editions = sum(len(str(s.edition)) + 3 for s in marker.seminars)
    return max(len(n) for n in names) + editions


def place_labels(markers, width, height, scale=1.0):
    """Put each label beside its marker where it overlaps no label placed before (greedy,
    from north to south; right, left, below, above), inside the map when possible."""
    font, gap = FONT_SIZE * scale, (RADIUS + 3) * scale
    taken = [(m.x - gap, m.y - gap, m.x + gap, m.y + gap) for m in markers]
    for marker in sorted(markers, key=lambda m: (m.y, m.x)):
        w, h = label_chars(marker) * font, font
        x, y = marker.x, marker.y
        candidates = [
            (x + gap, y + h / 3, "start", (x + gap, y - h * 2 / 3, x + gap + w, y + h / 3)),
            (x - gap, y + h / 3, "end", (x - gap - w, y - h * 2 / 3, x - gap, y + h / 3)),
            (x, y + gap + h, "middle", (x - w / 2, y + gap, x + w / 2, y + gap + h)),
            (x, y - gap, "middle", (x - w / 2, y - gap - h, x + w / 2, y - gap)),
        ]
        chosen = candidates[0]
        for candidate in candidates:
            box = candidate[3]
            inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
            if inside and not any(_overlap(box, other) for other in taken):
                chosen = candidate
                break
        marker.label_x, marker.label_y, marker.anchor = (
            round(chosen[0], 1),
            round(chosen[1], 1),
            chosen[2],
        )
        taken.append(chosen[3])


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
