-- 0006: no personnummer in file names or free text.
--
-- import_run.file_name kept a file's name as given, so a name like
-- persons_20070505-5556.csv put a personnummer into the store (and into
-- every backup of it); a unit's name and a pathway step's code were stored
-- as given too ("Patient 20070808-8885 room"). Since this migration knod
-- masks such names (src/domain/pnr_shape.h: 20070505-5556 becomes
-- XXXXXXXX-XXXX) and refuses such text. What was stored before is masked
-- here in plain SQL, more broadly than the scanner would: a value with a
-- run of ten digits, or six digits, '-' or '+' and four digits, has every
-- digit replaced by X.

UPDATE import_run
SET file_name = replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(file_name, '0', 'X'), '1', 'X'), '2', 'X'), '3', 'X'), '4', 'X'),
    '5', 'X'), '6', 'X'), '7', 'X'), '8', 'X'), '9', 'X')
WHERE file_name GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'
   OR file_name GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][-+][0-9][0-9][0-9][0-9]*';

UPDATE care_unit
SET name = replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(name, '0', 'X'), '1', 'X'), '2', 'X'), '3', 'X'), '4', 'X'),
    '5', 'X'), '6', 'X'), '7', 'X'), '8', 'X'), '9', 'X')
WHERE name GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'
   OR name GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][-+][0-9][0-9][0-9][0-9]*';

UPDATE pathway_step
SET step = replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(step, '0', 'X'), '1', 'X'), '2', 'X'), '3', 'X'), '4', 'X'),
    '5', 'X'), '6', 'X'), '7', 'X'), '8', 'X'), '9', 'X')
WHERE step GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'
   OR step GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][-+][0-9][0-9][0-9][0-9]*';
