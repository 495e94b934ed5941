import * as arrow from 'apache-arrow';
import { DDLParseError } from '../errors.js';
export function parseDDL(ddl: string): arrow.Schema { throw new DDLParseError('not implemented', { ddl, position: 0, expected: '' }); }
export function parseDDLType(ddl: string): arrow.DataType { throw new DDLParseError('not implemented', { ddl, position: 0, expected: '' }); }
