// Cell references are spelled in one module that the report builders share; users of XLSX see them here too.
@_exported import CellReferences
