"""conflictlens.geo: offline geoparsing with a gazetteer compiled from packaged GeoNames data.

``get_gazetteer()`` (gazetteer.py) opens the compiled gazetteer, ``geoparse()``
(locate.py) finds and resolves the toponyms of a text, and the ``geo.gazetteer``
stage (stage.py) fills ``doc.places`` and the location fields of events.
See docs/geo.md.
"""
