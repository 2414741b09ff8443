/*
 * The floor for FundSim's detail-sheet export: the same sheet written by a small C program that calls
 * libxlsxwriter directly, in constant_memory mode.
 *
 * usage: detail_sheet GRID.csv OUT.xlsx
 * GRID.csv is the detail grid FundSim dumps with `--detail-csv` (a header, then 4 text columns and numbers).
 * Prints the time spent writing the workbook (parsing the CSV is not counted).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s GRID.csv OUT.xlsx\n", argv[0]); return 64; }
    FILE *in = fopen(argv[1], "r");
    if (!in) { perror(argv[1]); return 1; }
    /* Read everything into memory first. */
    size_t cap = 1 << 20, rows = 0, cols = 0;
    char **text = NULL; double *num = NULL; char **header = NULL;
    char *line = NULL; size_t len = 0;
    if (getline(&line, &len, in) < 0) return 1;
    line[strcspn(line, "\r\n")] = 0;
    header = malloc(sizeof(char *) * 4096);
    for (char *tok = strtok(line, ","); tok; tok = strtok(NULL, ",")) header[cols++] = strdup(tok);
    size_t ncols = cols - 4;
    text = malloc(sizeof(char *) * 4 * cap);
    num = malloc(sizeof(double) * ncols * cap);
    while (getline(&line, &len, in) > 0) {
        line[strcspn(line, "\r\n")] = 0;
        if (rows == cap) {
            cap *= 2;
            text = realloc(text, sizeof(char *) * 4 * cap);
            num = realloc(num, sizeof(double) * ncols * cap);
        }
        size_t c = 0;
        for (char *tok = strtok(line, ","); tok && c < cols; tok = strtok(NULL, ","), c++) {
            if (c < 4) text[rows * 4 + c] = strdup(tok);
            else num[rows * ncols + (c - 4)] = strtod(tok, NULL);
        }
        rows++;
    }
    fclose(in);

    double t0 = now();
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(argv[2], &options);
    if (!wb) { fprintf(stderr, "cannot create %s\n", argv[2]); return 1; }
    lxw_worksheet *ws = workbook_add_worksheet(wb, "detail");
    lxw_format *header_format = workbook_add_format(wb);
    format_set_bold(header_format);
    lxw_format *money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00");
    for (size_t c = 0; c < cols; c++) worksheet_write_string(ws, 0, (lxw_col_t)c, header[c], header_format);
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < 4; c++) worksheet_write_string(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, text[r * 4 + c], NULL);
        for (size_t c = 0; c < ncols; c++) worksheet_write_number(ws, (lxw_row_t)(r + 1), (lxw_col_t)(4 + c), num[r * ncols + c], money);
    }
    lxw_error err = workbook_close(wb);
    double t1 = now();
    if (err) { fprintf(stderr, "workbook_close: %s\n", lxw_strerror(err)); return 1; }
    printf("write_seconds %.3f rows %zu columns %zu\n", t1 - t0, rows, cols);
    return 0;
}
