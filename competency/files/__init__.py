"""The files people edit: YAML loading with positions, pydantic errors mapped to
lines, cross-references, the kinds of file, bundles of a model, the editor
schema and the shipped files."""
