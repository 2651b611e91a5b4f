package dev.gatehouse.core.form;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body that is a JSON array of objects (the bulk position routes). Each element is a
 * {@link Form} whose errors are keyed by the element's index at the root of the error tree, as
 * Discord keys them: {@code {"0": {"id": {"_errors": [...]}}}}. All elements share one tree, so
 * {@link #validate()} reports every bad element at once.
 */
public final class FormList {

    private final Form root;
    private final List<Form> items;

    private FormList(Form root, List<Form> items) {
        this.root = root;
        this.items = items;
    }

    /** The elements of the body; a body that is not an array, or longer than {@code max}, is a 50035 at once. */
    public static FormList of(JsonNode body, int max) {
        if (body == null || !body.isArray()) {
            FieldErrors errors = new FieldErrors();
            errors.add(List.of(), "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType");
            errors.throwIfAny();
        }
        if (body.size() > max) {
            FieldErrors errors = new FieldErrors();
            errors.add(List.of(), "BASE_TYPE_MAX_LENGTH", "Must be " + max + " or fewer in length.");
            errors.throwIfAny();
        }
        // Keyed by index, the array reads as an object whose nested forms carry the index as path.
        ObjectNode byIndex = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < body.size(); i++) {
            byIndex.set(Integer.toString(i), body.get(i));
        }
        Form root = Form.of(byIndex);
        List<Form> items = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            Form item = root.optObject(Integer.toString(i));
            if (item == null && body.get(i).isNull()) {
                root.error(Integer.toString(i), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
            }
            items.add(item);
        }
        return new FormList(root, items);
    }

    /** One form per element, in order; null where the element is not an object (already an error). */
    public List<Form> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    /** Records an error on element {@code index}'s {@code field}. */
    public void error(int index, String field, String code, String message) {
        root.errors().add(List.of(Integer.toString(index), field), code, message);
    }

    public void validate() {
        root.validate();
    }
}
