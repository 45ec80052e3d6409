"""Approximate country centroids (latitude, longitude in degrees) for impossible-travel
checks when no city database is configured. Coarse on purpose: the check only asks
whether two consecutive locations are further apart than any traveller could go in
the time between them, and large countries are left out where a centroid would
mislead (a move inside the US or Russia is not travel between centroids)."""

from __future__ import annotations

import math

CENTROIDS: dict[str, tuple[float, float]] = {
    "AE": (24.0, 54.0), "AR": (-34.0, -64.0), "AT": (47.5, 14.5), "AU": (-25.0, 134.0),
    "BD": (24.0, 90.0), "BE": (50.8, 4.5), "BG": (42.7, 25.5), "BR": (-10.0, -52.0),
    "BY": (53.7, 28.0), "CH": (46.8, 8.2), "CL": (-30.0, -71.0), "CN": (35.0, 103.0),
    "CO": (4.0, -73.0), "CU": (21.5, -79.5), "CZ": (49.8, 15.5), "DE": (51.2, 10.4),
    "DK": (56.0, 10.0), "EE": (58.7, 25.5), "EG": (27.0, 30.0), "ES": (40.2, -3.7),
    "FI": (64.0, 26.0), "FR": (46.5, 2.5), "GB": (54.0, -2.5), "GR": (39.0, 22.0),
    "HK": (22.3, 114.2), "HU": (47.2, 19.5), "ID": (-2.5, 118.0), "IE": (53.2, -8.0),
    "IL": (31.4, 35.0), "IN": (22.0, 79.0), "IR": (32.5, 54.0), "IT": (42.8, 12.5),
    "JP": (36.5, 138.5), "KE": (0.5, 38.0), "KP": (40.0, 127.0), "KR": (36.5, 127.8),
    "KZ": (48.0, 67.0), "LT": (55.3, 24.0), "LU": (49.8, 6.1), "LV": (57.0, 25.0),
    "MA": (32.0, -6.0), "MX": (23.5, -102.5), "MY": (4.0, 109.5), "NG": (9.5, 8.0),
    "NL": (52.2, 5.5), "NO": (62.0, 10.0), "NZ": (-41.5, 172.5), "PE": (-9.5, -75.0),
    "PH": (12.5, 122.0), "PK": (30.0, 70.0), "PL": (52.0, 19.5), "PT": (39.6, -8.0),
    "RO": (45.9, 25.0), "RS": (44.0, 20.9), "SA": (24.0, 45.0), "SE": (62.0, 15.0),
    "SG": (1.35, 103.8), "SY": (35.0, 38.5), "TH": (15.5, 101.0), "TR": (39.0, 35.0),
    "TW": (23.7, 121.0), "UA": (49.0, 31.5), "VN": (16.0, 107.0), "ZA": (-29.0, 24.5),
}


def distance_km(a: str, b: str) -> float | None:
    """Great-circle distance between two countries' centroids, None if unknown."""
    first, second = CENTROIDS.get(a), CENTROIDS.get(b)
    if first is None or second is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (*first, *second))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
