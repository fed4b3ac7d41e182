with

source as (
    select * from {{ source('dream', 'dream') }}
),

renamed as (
    select
        person_id,
        bopaelskommune,
        fra_uge_dato,
        til_uge_dato,
        kode,
        register_fra_uge_dato,
        register_til_uge_dato,
        load_id,
        source_file,
        extract_date,
        source_row_number,
        loaded_at
    from source
)

select * from renamed
