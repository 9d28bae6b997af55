import { Type } from 'class-transformer';
import { IsArray, IsObject, ValidateNested } from 'class-validator';

/**
 * A body field holding a list of objects, each validated as `type`. ValidateNested alone takes
 * an element that is itself a list (`[[]]`, `[[{...}]]`) and checks nothing inside it: the use
 * case then read fields of undefined, a 500. Each element must be an object (400 otherwise).
 * Size rules (ArrayMinSize, ArrayMaxSize) go beside it.
 */
export function NestedList(type: () => new () => object): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    IsArray()(target, key);
    IsObject({ each: true })(target, key);
    ValidateNested({ each: true })(target, key);
    Type(type)(target, key);
  };
}
