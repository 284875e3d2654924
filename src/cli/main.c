/* src/cli/main.c: placeholder, replaced by the command table. */
#include <stdio.h>

int main(void)
{
    puts("knod " KNOD_VERSION);
    return 0;
}
